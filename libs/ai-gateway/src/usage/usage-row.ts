/** `status` of a request that succeeded; failures carry their gateway error code instead. */
export const USAGE_STATUS_OK = 'ok';

/**
 * One request as the usage log records it: who, what, how much, how it went. Never the
 * prompt or the completion. Plain JSON (times as epoch ms) so a row can wait in a durable
 * buffer (Redis, a file) and be replayed as-is.
 */
export interface UsageRow {
  /** Unique per request; replays of the same row are ignored by the database. */
  requestId: string;
  /** When the request arrived, epoch milliseconds. */
  createdAt: number;
  /** Non-secret id of the gateway key that made the call. */
  keyId?: string | null;
  userId?: string | null;
  teamId?: string | null;
  /** Resume task (`parse`, `score`, …) when the call came from one. */
  task?: string | null;
  /** The route (alias) named by the request, if any. */
  route?: string | null;
  /** Provider (config name) and its model id that served or last failed the request. */
  provider?: string | null;
  model?: string | null;
  promptTokens: number;
  completionTokens: number;
  cachedTokens: number;
  /** Cost in micro-dollars (1e-6 USD); null when the model has no price. */
  costMicroUsd: number | null;
  /** Cache hits: what the answer cost when it was produced (micro-dollars), saved by this request. */
  costSavedMicroUsd: number;
  /** False when no price was known: the cost is then unknown, never silently 0. */
  priced: boolean;
  /** Where the price came from (pricing file, config override, …). */
  priceSource?: string | null;
  latencyMs: number;
  /** Streaming: time to the first token. */
  ttftMs?: number | null;
  /** `ok` or the gateway error code the request ended with. */
  status: string;
  errorCode?: string | null;
  /** Cache outcome: `hit`, `semantic-hit`, `miss` or `skip`; null when the cache was not consulted. */
  cacheStatus?: string | null;
  /** Provider calls actually sent (retries and hedges included, skipped candidates not). */
  attempts: number;
  /** The decision trace: `provider/model=outcome, …`. */
  fallbackChain?: string | null;
  stream: boolean;
  /** Streaming: whether the stream ended cleanly; null for non-streaming requests. */
  streamCompleted?: boolean | null;
  /** Budget decisions worth keeping, e.g. a provider skipped because it is over its cap. */
  budgetNote?: string | null;
}
