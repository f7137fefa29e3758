import type { FakeOperation } from './fake-operation';

/**
 * What the fake provider should do for one request. Scripts arrive in the
 * `x-fake-script` header (JSON), or are queued through `POST /_fake/scripts`; a request
 * with neither gets the default behaviour (echo the last user message).
 */
export interface FakeScript {
  /** Fixed reply text. */
  text?: string;
  /** Text put before the reply (the embedded local fake marks its answers with it). */
  prefix?: string;
  /** Reply with the last user message (the default when no text or tool call is given). */
  echo?: boolean;
  /** Tool calls to return instead of (or beside) text. */
  toolCalls?: Array<{ name: string; arguments: Record<string, unknown> | string; id?: string }>;
  /**
   * Token usage to report; computed from the text when absent. `reasoning`: the Responses
   * API's reasoning tokens (counted in its output tokens; default 16 when the request asks
   * for `reasoning`, else 0).
   */
  usage?: { prompt?: number; completion?: number; cached?: number; reasoning?: number };
  /** Finish reason in OpenAI's vocabulary; the wire formats translate it. */
  finishReason?: 'stop' | 'length' | 'tool_calls' | 'content_filter';
  /** Delay before the response headers, in milliseconds. */
  latencyMs?: number;
  /** Streaming: delay between the headers and the first chunk. */
  ttftMs?: number;
  /** Streaming: delay between chunks. */
  chunkDelayMs?: number;
  /** Streaming: number of text chunks (default: one per word, at most 64). */
  chunks?: number;
  /** Answer with this HTTP status and the vendor's error body. */
  status?: number;
  /** Retry-After header value sent with an error status (seconds or HTTP-date). */
  retryAfter?: string;
  errorMessage?: string;
  /** Vendor error type/code string (e.g. `context_length_exceeded`). */
  errorType?: string;
  /**
   * Transport faults: `reset` closes the socket before answering; `hang` never answers;
   * `disconnect` cuts a stream (or body) after `faultAfterChunks` chunks;
   * `malformed` sends broken JSON; `error-event` sends the vendor's error event inside a
   * 200 stream after `faultAfterChunks` chunks.
   */
  fault?: 'reset' | 'hang' | 'disconnect' | 'malformed' | 'error-event';
  faultAfterChunks?: number;
  /** Embeddings: vector size when the request does not ask for one. */
  dimensions?: number;
}

/** A queued script and the requests it applies to. */
export interface QueuedScript {
  script: FakeScript;
  /** How many matching requests it serves (default 1; -1 = until cleared). */
  times: number;
  match?: {
    /** Model id as the provider sees it (no `provider/` prefix). */
    model?: string;
    /** Wire format: openai | anthropic | gemini | ollama. */
    format?: string;
    /** API key the request carried. */
    apiKey?: string;
    /** Only model calls of this kind. */
    operation?: Exclude<FakeOperation, 'models'>;
  };
  /**
   * Share of the matching requests it applies to (0..1, default 1), drawn from the
   * server's seedable generator. A request that misses is served as if the entry did not
   * match (the next matching entry, else the default script) and does not use up `times`.
   */
  probability?: number;
}

/**
 * Mulberry32: a tiny seedable PRNG, uniform in [0, 1). Enough for reproducible fault
 * injection ("30 % of calls fail" gives the same calls every run); not for anything secret.
 */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function parseScriptHeader(value: string | string[] | undefined): FakeScript | undefined {
  if (typeof value !== 'string' || value === '') return undefined;
  try {
    const parsed = JSON.parse(value) as FakeScript | null;
    return parsed !== null && typeof parsed === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}
