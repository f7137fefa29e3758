import { Injectable } from '@nestjs/common';
import { AiGatewayService, GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import type { ChatCompletionMessageParam } from '@ai-gateway/core';
import type {
  JsonObject,
  ModelTaskOutput,
  ResumeTaskContext,
} from './resume-task-handler.interface';

/** One JSON-mode model call of a task. */
export interface JsonCompletionRequest {
  /** Model or route, as a caller of `AiGatewayService.chat` names it. */
  model: string;
  messages: ChatCompletionMessageParam[];
}

/**
 * The one place resume tasks call a model: JSON mode, temperature 0 (the same input
 * should give the same extraction, and stays cacheable), and the answer parsed as a JSON
 * object. Output schema validation, repair and fallback to the next model belong here
 * too; a later issue adds them, so today an answer that is not a JSON object fails.
 */
@Injectable()
export class JsonCompletionService {
  constructor(private readonly gateway: AiGatewayService) {}

  /**
   * Calls the model and returns its JSON object with the call's meta. Throws
   * `GatewayError` `SERVER_ERROR` ("invalid model output") when the answer is not one;
   * gateway errors (routing, provider, cancellation) pass through unchanged.
   */
  async complete(request: JsonCompletionRequest, ctx: ResumeTaskContext): Promise<ModelTaskOutput> {
    const { response, meta } = await this.gateway.chat(
      {
        model: request.model,
        messages: request.messages,
        response_format: { type: 'json_object' },
        temperature: 0,
      },
      // Exact cache only: two resumes for one job are similar but not interchangeable.
      { requestId: ctx.requestId, signal: ctx.signal, cache: { semantic: false } },
    );
    const choice = response.choices[0];
    const data = parseJsonObject(choice?.message.content);
    if (!data) {
      // The answer itself stays out of the message: it may quote the resume.
      const truncated =
        choice?.finish_reason === 'length' ? ' (the answer was cut at the token limit)' : '';
      throw new GatewayError(
        GatewayErrorCode.SERVER_ERROR,
        `invalid model output: ${meta.provider}/${meta.model} did not answer with a JSON object${truncated}`,
        { provider: meta.provider },
      );
    }
    return { data, meta };
  }
}

/** The text as a JSON object, or undefined when it is not one (arrays and scalars included). */
export function parseJsonObject(text: string | null | undefined): JsonObject | undefined {
  if (typeof text !== 'string') return undefined;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return undefined;
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}
