/**
 * Ollama's native HTTP API (`/api/chat`, `/api/embed`), only the parts the adapter uses.
 * See https://github.com/ollama/ollama/blob/main/docs/api.md.
 */

export interface OllamaToolCall {
  /** Sent by recent Ollama versions only. */
  id?: string;
  function: {
    index?: number;
    name: string;
    /** An object, not a JSON string as in OpenAI's shape. */
    arguments: Record<string, unknown>;
  };
}

export interface OllamaMessage {
  role: 'system' | 'user' | 'assistant' | 'tool';
  content: string;
  /** Base64 image data, without a `data:` prefix. */
  images?: string[];
  tool_calls?: OllamaToolCall[];
  /** For `tool` messages: the function whose result this is. */
  tool_name?: string;
  /** Reasoning text of thinking models (only when `think` is requested). */
  thinking?: string;
}

export interface OllamaTool {
  type: 'function';
  function: { name: string; description?: string; parameters?: Record<string, unknown> };
}

/** Runtime model options (a subset of Ollama's Modelfile parameters). */
export interface OllamaOptions {
  temperature?: number;
  top_p?: number;
  seed?: number;
  stop?: string[];
  num_predict?: number;
  frequency_penalty?: number;
  presence_penalty?: number;
  [option: string]: unknown;
}

export interface OllamaChatRequest {
  model: string;
  messages: OllamaMessage[];
  /** Ollama streams unless this is `false`, so the adapter always sets it. */
  stream: boolean;
  tools?: OllamaTool[];
  /** `'json'` or a JSON schema. */
  format?: 'json' | Record<string, unknown>;
  options?: OllamaOptions;
  keep_alive?: string | number;
}

/** A non-streamed answer, and every line of a streamed one (the last has `done: true`). */
export interface OllamaChatResponse {
  model: string;
  created_at: string;
  message?: OllamaMessage;
  done: boolean;
  done_reason?: string;
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
  prompt_eval_duration?: number;
  eval_count?: number;
  eval_duration?: number;
}

export interface OllamaEmbedRequest {
  model: string;
  input: string | string[];
  dimensions?: number;
  truncate?: boolean;
  keep_alive?: string | number;
}

export interface OllamaEmbedResponse {
  model: string;
  embeddings: number[][];
  total_duration?: number;
  load_duration?: number;
  prompt_eval_count?: number;
}

/** Ollama's error body, also sent as a line inside a streamed answer. */
export interface OllamaErrorBody {
  error: string;
}
