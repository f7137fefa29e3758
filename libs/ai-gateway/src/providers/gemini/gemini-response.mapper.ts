import type {
  Content,
  EnhancedGenerateContentResponse,
  GenerateContentResponse,
  UsageMetadata,
} from '@google/generative-ai';
import type { CompletionUsage } from 'openai/resources/completions';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import type { ChatResponse, EmbeddingResponse } from '../../types/unified';
import { assistantChoice } from '../shared/assistant-choice';

export type FinishReason = ChatResponse['choices'][number]['finish_reason'];
type ToolCall = NonNullable<ChatResponse['choices'][number]['message']['tool_calls']>[number];

/** Identity of one OpenAI-shaped answer built from a Gemini response. */
export interface GeminiAnswerMeta {
  id: string;
  created: number;
  model: string;
  provider: string;
  /** Prefix of the tool call ids of this answer (Gemini's calls carry none). */
  callPrefix: string;
}

/** Usage as newer models report it: thinking tokens are counted apart but billed as output. */
type GeminiUsage = UsageMetadata & { thoughtsTokenCount?: number };

/**
 * Gemini's finish reasons in OpenAI's vocabulary. Every safety-type stop is a content
 * filter; STOP becomes `tool_calls` when the turn holds function calls. Unknown or
 * unspecified reasons (OTHER, MALFORMED_FUNCTION_CALL, ...) read as a plain stop.
 */
export const FINISH_REASONS: Readonly<Record<string, FinishReason>> = {
  STOP: 'stop',
  MAX_TOKENS: 'length',
  SAFETY: 'content_filter',
  RECITATION: 'content_filter',
  LANGUAGE: 'content_filter',
  BLOCKLIST: 'content_filter',
  PROHIBITED_CONTENT: 'content_filter',
  SPII: 'content_filter',
  IMAGE_SAFETY: 'content_filter',
};

export function toFinishReason(reason: string | undefined, hasToolCalls: boolean): FinishReason {
  const mapped = (reason && FINISH_REASONS[reason]) || 'stop';
  return mapped === 'stop' && hasToolCalls ? 'tool_calls' : mapped;
}

/**
 * Gemini function calls have no ids: each gets `<prefix>_<call index>` (a further
 * `_<candidate>` after the prefix for candidates past the first, when `n` > 1). The
 * prefix is random per answer, so ids stay unique across the turns of a conversation.
 */
export function toolCallId(prefix: string, candidate: number, index: number): string {
  return candidate === 0 ? `${prefix}_${index}` : `${prefix}_${candidate}_${index}`;
}

export function toUsage(metadata: GeminiUsage | undefined): CompletionUsage | undefined {
  if (!metadata) return undefined;
  const prompt = metadata.promptTokenCount ?? 0;
  const thoughts = metadata.thoughtsTokenCount ?? 0;
  const completion = (metadata.candidatesTokenCount ?? 0) + thoughts;
  return {
    prompt_tokens: prompt,
    completion_tokens: completion,
    total_tokens: metadata.totalTokenCount ?? prompt + completion,
    ...(metadata.cachedContentTokenCount !== undefined
      ? { prompt_tokens_details: { cached_tokens: metadata.cachedContentTokenCount } }
      : {}),
    ...(thoughts > 0 ? { completion_tokens_details: { reasoning_tokens: thoughts } } : {}),
  };
}

/** A prompt Gemini refused outright comes back with feedback and no candidates. */
export function assertPromptNotBlocked(response: GenerateContentResponse, provider: string): void {
  const reason = response.promptFeedback?.blockReason;
  if (reason && (response.candidates?.length ?? 0) === 0) {
    throw new GatewayError(
      GatewayErrorCode.CONTENT_FILTERED,
      `Provider ${provider} blocked the prompt (${reason})`,
      {
        provider,
      },
    );
  }
}

/** Text and function calls of one candidate; thought summaries are not part of the answer. */
export function readContent(content: Content | undefined): {
  text: string;
  calls: Array<{ name: string; args: unknown }>;
} {
  let text = '';
  const calls: Array<{ name: string; args: unknown }> = [];
  for (const part of content?.parts ?? []) {
    if ((part as { thought?: boolean }).thought === true) continue;
    if (typeof part.text === 'string') text += part.text;
    if (part.functionCall)
      calls.push({ name: part.functionCall.name, args: part.functionCall.args });
  }
  return { text, calls };
}

/** Maps a complete `generateContent` answer to an OpenAI chat completion. */
export function toChatResponse(
  response: EnhancedGenerateContentResponse,
  meta: GeminiAnswerMeta,
): ChatResponse {
  assertPromptNotBlocked(response, meta.provider);
  const candidates = response.candidates ?? [];
  if (candidates.length === 0) {
    throw new GatewayError(
      GatewayErrorCode.SERVER_ERROR,
      `Provider ${meta.provider} answered without candidates`,
      {
        provider: meta.provider,
      },
    );
  }
  const usage = toUsage(response.usageMetadata) ?? {
    prompt_tokens: 0,
    completion_tokens: 0,
    total_tokens: 0,
  };
  return {
    id: meta.id,
    object: 'chat.completion',
    created: meta.created,
    model: meta.model,
    choices: candidates.map((candidate, i) => {
      const { text, calls } = readContent(candidate.content);
      const toolCalls = calls.map((call, j): ToolCall => ({
        id: toolCallId(meta.callPrefix, candidate.index ?? i, j),
        type: 'function',
        function: { name: call.name, arguments: JSON.stringify(call.args ?? {}) },
      }));
      return assistantChoice(
        candidate.index ?? i,
        text,
        toolCalls,
        toFinishReason(candidate.finishReason, toolCalls.length > 0),
      );
    }),
    usage,
  };
}

/**
 * Builds OpenAI's embeddings answer. Gemini reports no token usage for embeddings, so
 * `prompt_tokens` is an estimate (about four characters per token) for budgets.
 */
export function toEmbeddingResponse(
  vectors: number[][],
  texts: string[],
  model: string,
  encoding: 'float' | 'base64',
): EmbeddingResponse {
  const tokens = texts.reduce((sum, t) => sum + Math.ceil(t.length / 4), 0);
  return {
    object: 'list',
    model,
    data: vectors.map((values, index) => ({
      object: 'embedding',
      index,
      // The openai client asks for base64 by default and decodes little-endian float32.
      embedding: encoding === 'base64' ? (toBase64Float32(values) as unknown as number[]) : values,
    })),
    usage: { prompt_tokens: tokens, total_tokens: tokens },
  };
}

export function toBase64Float32(values: number[]): string {
  const buffer = Buffer.alloc(values.length * 4);
  values.forEach((v, i) => buffer.writeFloatLE(v, i * 4));
  return buffer.toString('base64');
}
