/**
 * The unified format is OpenAI's: every adapter maps to and from these types.
 * Requests may carry fields the gateway does not know; OpenAI-compatible adapters pass
 * them through untouched, translating adapters reject what they cannot carry.
 */
import type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionCreateParams,
  ChatCompletionMessageParam,
  ChatCompletionTool,
} from 'openai/resources/chat/completions';
import type { CreateEmbeddingResponse, EmbeddingCreateParams } from 'openai/resources/embeddings';
import type { Model } from 'openai/resources/models';

export type {
  ChatCompletion,
  ChatCompletionChunk,
  ChatCompletionMessageParam,
  ChatCompletionTool,
  CreateEmbeddingResponse,
  EmbeddingCreateParams,
};

/** A chat request in OpenAI's shape, plus any provider-specific field to pass through. */
export type ChatRequest = ChatCompletionCreateParams & { [field: string]: unknown };
export type ChatResponse = ChatCompletion;
export type ChatChunk = ChatCompletionChunk;
export type EmbeddingRequest = EmbeddingCreateParams & { [field: string]: unknown };
export type EmbeddingResponse = CreateEmbeddingResponse;

/** A model as listed by `/v1/models`, with what the gateway knows about where it runs. */
export interface GatewayModel extends Model {
  /** Provider config name that serves it. */
  provider: string;
  /** True for the built-in local fake provider: not a real model. */
  fake?: boolean;
}

/** Usage in the unified shape, `cached` when the provider reports cached prompt tokens. */
export interface UsageTokens {
  prompt: number;
  completion: number;
  cached?: number;
  /** Of the completion tokens, those spent reasoning (OpenAI's `reasoning_tokens`, Gemini's thoughts). */
  reasoning?: number;
}
