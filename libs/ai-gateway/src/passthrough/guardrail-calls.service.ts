import { Injectable } from '@nestjs/common';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { GuardrailCalls, ModerationVerdict } from '../guardrails/guardrail-calls';
import { ChatPipeline } from '../pipeline/chat-pipeline.service';
import type { CallOptions } from '../shared/call-result';
import type { ChatRequest, ChatResponse } from '../types/unified';
import { PassthroughPipeline } from './passthrough-pipeline.service';
import { readJsonResult } from './read-result';

/** A moderation answer is small: more than this is not one. */
const MAX_MODERATION_BYTES = 1024 * 1024;

/**
 * The middleware's own model calls (`GUARDRAIL_CALLS`): a moderation check through the
 * passthrough's `/v1/moderations` rails, the injection judge through the chat path — each
 * routed, keyed, limited and booked like any request, with the middleware skipped.
 */
@Injectable()
export class GatewayGuardrailCalls implements GuardrailCalls {
  constructor(
    private readonly passthrough: PassthroughPipeline,
    private readonly chats: ChatPipeline,
  ) {}

  async moderate(
    model: string,
    inputs: string[],
    options: CallOptions,
  ): Promise<ModerationVerdict[]> {
    const result = await this.passthrough.forward(
      { endpoint: 'moderations', body: { model, input: inputs } },
      options,
    );
    const answer = await readJsonResult<{ results?: unknown }>(result, MAX_MODERATION_BYTES);
    if (result.status !== 200 || !Array.isArray(answer.results)) {
      throw new GatewayError(
        GatewayErrorCode.SERVER_ERROR,
        `The moderation model ${model} answered ${result.status} without results`,
        { provider: result.meta.provider },
      );
    }
    return answer.results.map(verdictOf);
  }

  async chat(request: ChatRequest, options: CallOptions): Promise<ChatResponse> {
    return (await this.chats.chat(request, options)).response;
  }
}

function verdictOf(result: unknown): ModerationVerdict {
  const r = (result ?? {}) as Partial<Record<keyof ModerationVerdict, unknown>>;
  const record = (value: unknown) =>
    typeof value === 'object' && value !== null ? (value as Record<string, never>) : {};
  return {
    flagged: r.flagged === true,
    categories: record(r.categories),
    category_scores: record(r.category_scores),
  };
}
