import type { ProviderConfig } from '../config/gateway-config.schema';
import type {
  ChatChunk,
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
} from '../types/unified';

/** Per-attempt facts an adapter needs; built by the request executor. */
export interface ProviderCallContext {
  requestId: string;
  /** Aborts the upstream call: caller gone, or a gateway deadline passed. */
  signal: AbortSignal;
  /**
   * Upper bound for this attempt, in milliseconds (the adapter also enforces it). Streams:
   * the bound up to the first chunk; after it the gateway's idle timer and the signal apply.
   */
  timeoutMs: number;
  /**
   * This request's connect timeout, when it sets one (default: the provider's
   * `connectTimeoutMs`). Honoured by the undici-based adapters (OpenAI-compatible, OpenAI,
   * Mistral, Ollama); Anthropic and Gemini keep their provider's setting.
   */
  connectTimeoutMs?: number;
  /** The API key chosen for this attempt (providers may have several). */
  apiKey?: string;
  /**
   * The attempt's W3C trace context (`traceparent`, `tracestate`) while tracing is on and
   * the provider has `propagateTrace`: sent upstream with the call's other headers.
   */
  traceHeaders?: Readonly<Record<string, string>>;
}

/**
 * One provider, reached through its own wire format. Requests arrive in the unified
 * (OpenAI) shape with `model` already set to the provider's own model id. Every failure
 * is thrown as a `GatewayError` with a provider code.
 */
export interface ProviderAdapter {
  /** Config name of the provider (`openai`, `my-vllm`, ...). */
  readonly name: string;
  readonly config: ProviderConfig;

  chat(request: ChatRequest, ctx: ProviderCallContext): Promise<ChatResponse>;

  /**
   * Opens a stream. The promise settles once the provider has accepted the request
   * (status and headers received), so failures before the first byte reject here and
   * can still fall back; failures later surface from the iterator.
   */
  chatStream(request: ChatRequest, ctx: ProviderCallContext): Promise<AsyncIterable<ChatChunk>>;

  embed(request: EmbeddingRequest, ctx: ProviderCallContext): Promise<EmbeddingResponse>;

  /** Optional start-up work (the embedded fake starts its server here). */
  init?(): Promise<void>;

  /** Releases pooled connections. */
  close(): Promise<void>;
}

/** Builds an adapter for one provider config entry. */
export type ProviderAdapterFactory = (config: ProviderConfig) => ProviderAdapter;
