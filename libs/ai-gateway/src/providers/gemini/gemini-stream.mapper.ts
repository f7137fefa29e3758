import type { GenerateContentResponse } from '@google/generative-ai';
import type { CompletionUsage } from 'openai/resources/completions';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import type { ChatChunk } from '../../types/unified';
import { streamErrorEvent } from './gemini.errors';
import type { FinishReason, GeminiAnswerMeta } from './gemini-response.mapper';
import {
  assertPromptNotBlocked,
  readContent,
  toFinishReason,
  toolCallId,
  toUsage,
} from './gemini-response.mapper';

type Delta = ChatChunk['choices'][number]['delta'];

interface CandidateState {
  calls: number;
  finished: boolean;
}

/**
 * Turns Gemini's stream (whole `GenerateContentResponse`s) into OpenAI chunks, one
 * instance per stream. Each candidate opens with `{role, content: ''}`; a function call
 * arrives whole, so it becomes a header delta (id, name, arguments '') followed by one
 * delta with all its arguments; the finish reason gets its own chunk; `finish()` adds the
 * usage chunk (`choices: []`) from the last usage Gemini reported.
 */
export class GeminiStreamMapper {
  private readonly candidates = new Map<number, CandidateState>();
  private usage?: CompletionUsage;

  constructor(private readonly meta: GeminiAnswerMeta) {}

  /** Chunks for one streamed response; throws on an error event or a blocked prompt. */
  map(response: GenerateContentResponse): ChatChunk[] {
    const event = (response as { error?: unknown }).error;
    if (event !== undefined) throw streamErrorEvent(this.meta.provider, event);
    assertPromptNotBlocked(response, this.meta.provider);
    this.usage = toUsage(response.usageMetadata) ?? this.usage;
    const out: ChatChunk[] = [];
    (response.candidates ?? []).forEach((candidate, i) => {
      const index = candidate.index ?? i;
      const state = this.open(index, out);
      const { text, calls } = readContent(candidate.content);
      if (text !== '') out.push(this.chunk(index, { content: text }));
      for (const call of calls) {
        const at = state.calls++;
        const id = toolCallId(this.meta.callPrefix, index, at);
        out.push(
          this.chunk(index, {
            tool_calls: [
              { index: at, id, type: 'function', function: { name: call.name, arguments: '' } },
            ],
          }),
          this.chunk(index, {
            tool_calls: [{ index: at, function: { arguments: JSON.stringify(call.args ?? {}) } }],
          }),
        );
      }
      if (candidate.finishReason && !state.finished) {
        state.finished = true;
        out.push(this.chunk(index, {}, toFinishReason(candidate.finishReason, state.calls > 0)));
      }
    });
    return out;
  }

  /** Closing chunks once the stream ended cleanly: missing finish reasons, then usage. */
  finish(): ChatChunk[] {
    if (this.candidates.size === 0) {
      throw new GatewayError(
        GatewayErrorCode.SERVER_ERROR,
        `Provider ${this.meta.provider} sent an empty stream`,
        {
          provider: this.meta.provider,
        },
      );
    }
    const out: ChatChunk[] = [];
    for (const [index, state] of this.candidates) {
      if (!state.finished)
        out.push(this.chunk(index, {}, toFinishReason(undefined, state.calls > 0)));
    }
    if (this.usage) out.push({ ...this.base(), choices: [], usage: this.usage });
    return out;
  }

  private open(index: number, out: ChatChunk[]): CandidateState {
    let state = this.candidates.get(index);
    if (!state) {
      state = { calls: 0, finished: false };
      this.candidates.set(index, state);
      out.push(this.chunk(index, { role: 'assistant', content: '' }));
    }
    return state;
  }

  private base(): Omit<ChatChunk, 'choices'> {
    return {
      id: this.meta.id,
      object: 'chat.completion.chunk',
      created: this.meta.created,
      model: this.meta.model,
    };
  }

  private chunk(index: number, delta: Delta, finish: FinishReason | null = null): ChatChunk {
    return { ...this.base(), choices: [{ index, delta, logprobs: null, finish_reason: finish }] };
  }
}
