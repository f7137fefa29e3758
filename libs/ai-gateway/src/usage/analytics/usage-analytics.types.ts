import type { UsageRow } from '../usage-row';
import type { UsageDimension, UsageInterval } from './usage-query';

/** One bucket of a usage summary. */
export interface UsageSummaryGroup {
  /**
   * The group's value (`openai`, `alice`, …); for `groupBy: 'time'` the ISO start of the
   * bucket; null for rows without one, and for the overall bucket.
   */
  key: string | null;
  requests: number;
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens served from the provider's prompt cache (part of `promptTokens`). */
  cachedTokens: number;
  /** Prompt + completion tokens. */
  totalTokens: number;
  /** Sum of the priced requests' costs in USD (summed in integer micro-dollars). */
  costUsd: number;
  /** What the cache hits' answers cost when they were produced: saved by the cache, USD. */
  costSavedUsd: number;
  /** Requests that used tokens but had no price: their cost is not in `costUsd`. */
  unpricedRequests: number;
  /** Mean latency, ms (one decimal). */
  avgLatencyMs: number;
  /** Median latency, ms, interpolated like PostgreSQL's `percentile_cont` (one decimal). */
  p50LatencyMs: number;
  /** 95th percentile of latency, ms, interpolated like PostgreSQL's `percentile_cont` (one decimal). */
  p95LatencyMs: number;
  /** Median time to first token of the group's streamed requests, ms; null when none streamed. */
  p50TtftMs: number | null;
  /** 95th percentile of time to first token, ms; null when none streamed. */
  p95TtftMs: number | null;
  /** Share of requests whose status is not `ok` (0–1, four decimals). */
  errorRate: number;
  /** Share of requests answered from the gateway cache, exact or semantic (0–1, four decimals). */
  cacheHitRate: number;
}

/** `GET /v1/usage/summary`, `UsageAnalytics.summary()`. */
export interface UsageSummary {
  /** The window, ISO-8601: `from` included, `to` excluded. */
  period: { from: string; to: string };
  /** The dimension of the groups (`time`: a time series); null for one overall bucket. */
  groupBy: UsageDimension | 'time' | null;
  /** `groupBy: 'time'`: the buckets' length. */
  interval?: UsageInterval;
  /**
   * Sorted by cost, then requests, descending (a time series: by time, ascending); empty
   * when no row matched. Buckets without rows are left out.
   */
  groups: UsageSummaryGroup[];
}

/** One request of the usage log as the API shows it. */
export interface UsageRequestRecord extends Omit<UsageRow, 'createdAt' | 'costMicroUsd'> {
  /** When the request arrived, ISO-8601. */
  createdAt: string;
  /** Cost in USD; null when the model had no price. */
  costUsd: number | null;
}

/** `GET /v1/usage/requests`, `UsageAnalytics.requests()`: newest first. */
export interface UsageRequestsPage {
  data: UsageRequestRecord[];
  /** Pass as `cursor` for the next page; absent on the last page. */
  nextCursor?: string;
}

/**
 * Rows a caller may see. A gateway key sees only its own usage: pass its key id. A
 * scope without a key id sees nothing (never everything).
 */
export interface UsageScope {
  keyId?: string | null;
}
