import type { BudgetLimits, KeyLimits } from './caller-limits';
import type { ChatChunk, ChatResponse, EmbeddingResponse, UsageTokens } from '../types/unified';

/** Per-call options of the library API. */
/** Who is calling: from a gateway key, or named by the caller when auth is off. */
export interface Caller {
  /** Non-secret id of the gateway key used. */
  keyId?: string;
  userId?: string;
  /** Team (department) the caller belongs to. */
  teamId?: string;
  /** Its key is a trusted multi-user backend: a request may name the user it acts for. */
  multiUser?: boolean;
  /** Model and route names the caller may use (its gateway key's scope); absent = any. */
  allowedModels?: readonly string[];
  /** The gateway key's own budget caps, held like a user's. */
  keyBudget?: BudgetLimits;
  /** The gateway key's own rate limits (they replace `rateLimits.defaultKey`). */
  keyLimits?: KeyLimits;
  /** The client's address, for `rateLimits.ip` (callers without a key). */
  ip?: string;
}

/**
 * How one request uses the response cache (HTTP: `Cache-Control` and `x-gateway-cache`).
 * `skip`: neither read nor write; `refresh`: fetch a fresh answer and store it.
 */
export interface CacheDirectives {
  mode?: 'skip' | 'refresh';
  /** Never store this answer (`Cache-Control: no-store`). */
  noStore?: boolean;
  /** Serve only entries at most this old (`Cache-Control: max-age=N`). */
  maxAgeSeconds?: number;
  /** False: exact matches only (resume tasks: similar resumes are not interchangeable). */
  semantic?: boolean;
  /**
   * Non-streaming calls: store the answer only when this returns true (resume tasks store
   * only output that passed their schema, so a bad answer is never served again).
   */
  accept?: (response: ChatResponse) => boolean;
}

export interface CallOptions {
  /** Response cache controls for this request. */
  cache?: CacheDirectives;
  /** Who is calling (usage rows, budgets, limits). */
  caller?: Caller;
  /** The task the call serves (resume parse, score, …), for the usage log. */
  task?: string;
  /**
   * The API door the call came through (`chat.completions`, `responses`, `messages`, …),
   * for the usage log; the HTTP app sets it, host code calling the library leaves it unset.
   */
  ingress?: string;
  /**
   * `false`: the call skips the middleware (`guardrails`) — for the gateway's own calls made by
   * a middleware (a moderation check, the injection judge), which must not run it again.
   */
  middleware?: false;
  /** Skip models whose worst-case cost for this request exceeds this (USD); the lower of it and the config's wins. */
  maxCostPerRequestUsd?: number;
  /** Overrides the route: `provider/model` or route names, tried in order. */
  chain?: string[];
  /** Lets an explicit `provider/model` fall back to other providers of the same model. */
  allowFallback?: boolean;
  /** Per-request timers, in ms: each replaces the provider's own setting for this request. */
  timeouts?: {
    totalMs?: number;
    firstTokenMs?: number;
    idleMs?: number;
    attemptMs?: number;
    /** Opening a connection (OpenAI-compatible and Ollama providers; others keep theirs). */
    connectMs?: number;
  };
  /**
   * Correlates logs, headers and usage rows; generated when absent. It keys the usage log:
   * a host passing its own must keep it unique (the HTTP app always generates one).
   */
  requestId?: string;
  /**
   * The caller's own id for the request (`x-client-request-id` / `x-request-id` over HTTP):
   * echoed and logged in its own column, never used as a key.
   */
  clientRequestId?: string;
  /** Cancels the call (e.g. the HTTP client went away). */
  signal?: AbortSignal;
  /**
   * The same without an AbortSignal (cheaper on a hot path): receives a function that
   * cancels the call, to be called when the caller is gone.
   */
  onCancel?: (cancel: () => void) => void;
}

/** One try against one provider. */
export interface AttemptRecord {
  provider: string;
  model: string;
  /** `ok`, the error code it failed with, or `skipped:<why>` when it was never sent. */
  outcome: string;
  latencyMs: number;
  /** 0 for the first try on this target, then 1, 2… for retries. */
  retry: number;
  /** True for an attempt started by hedging. */
  hedged?: boolean;
  /** Non-secret id of the API key used. */
  keyId?: string;
}

/** What happened to a call: who served it, how long it took, what it used. */
export interface ResponseMeta {
  requestId: string;
  /** Provider (config name) that served the answer. */
  provider: string;
  /** The provider's own model id. */
  model: string;
  /** The route (alias) the request named, if any. */
  route?: string;
  /** True when the built-in local fake provider answered: not a real model. */
  fake: boolean;
  attempts: AttemptRecord[];
  latencyMs: number;
  /** Streaming: time to the first chunk from the provider. */
  ttftMs?: number;
  usage?: UsageTokens;
  /** What the call cost, in micro-dollars (integer) — absent when the model is unpriced. */
  costMicroUsd?: number;
  /** The same in USD, for display. */
  costUsd?: number;
  /** False when the model has no known price: its cost is unknown, not zero. */
  priced?: boolean;
  /** Where the price came from (`genai-prices@…`, `pricing file`, `config`, `fake`). */
  priceSource?: string;
  /** Streaming: false when the stream ended in an error. */
  completed?: boolean;
  /** What the response cache did (`x-gateway-cache`). */
  cache?: CacheOutcome;
  /** OpenAI's `x-ratelimit-*` headers of the tightest limit that applied. */
  rateLimitHeaders?: Readonly<Record<string, string>>;
  /** The middleware's decisions, `name=decision, …` (`x-gateway-guardrails`). */
  guardrails?: string;
}

/** The response cache's part in a request. */
export interface CacheOutcome {
  status: 'hit' | 'semantic-hit' | 'miss' | 'skip';
  /** Why the cache was skipped (`disabled`, `requested`, `not-deterministic`, `tools`, `unavailable`). */
  reason?: string;
  /** Semantic hits: cosine similarity of the two prompts. */
  similarity?: number;
  /** Hits: seconds since the answer was stored. */
  ageSeconds?: number;
  /** Hits: what the original call cost, saved by this one (micro-dollars). */
  savedMicroUsd?: number;
}

/** True when the answer came from the cache (exact or semantic), not from a provider. */
export function isCacheHit(cache: CacheOutcome | undefined): boolean {
  return cache?.status === 'hit' || cache?.status === 'semantic-hit';
}

export interface ChatResult {
  response: ChatResponse;
  meta: ResponseMeta;
}

export interface EmbedResult {
  response: EmbeddingResponse;
  meta: ResponseMeta;
}

/**
 * A streamed answer: iterate it for OpenAI chunks. `meta` is filled as the stream
 * goes (latency, usage and `completed` once it ends). The usage chunk is included only
 * when the request asked for it with `stream_options.include_usage`.
 */
export interface ChatStream extends AsyncIterable<ChatChunk> {
  readonly meta: ResponseMeta;
}
