import type { UsageRow } from '../usage-row';
import type { UsageDimension } from './usage-query';

/** One bucket of a usage summary. */
export interface UsageSummaryGroup {
  /** The group's value (`openai`, `alice`, …); null for rows without one, and for the overall bucket. */
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
  /** Requests that used tokens but had no price: their cost is not in `costUsd`. */
  unpricedRequests: number;
  /** Mean latency, ms (one decimal). */
  avgLatencyMs: number;
  /** 95th percentile of latency, ms, interpolated like PostgreSQL's `percentile_cont` (one decimal). */
  p95LatencyMs: number;
  /** Share of requests whose status is not `ok` (0–1, four decimals). */
  errorRate: number;
  /** Share of requests answered from the gateway cache, exact or semantic (0–1, four decimals). */
  cacheHitRate: number;
}

/** `GET /v1/usage/summary`, `UsageAnalytics.summary()`. */
export interface UsageSummary {
  /** The window, ISO-8601: `from` included, `to` excluded. */
  period: { from: string; to: string };
  /** The dimension of the groups; null for one overall bucket. */
  groupBy: UsageDimension | null;
  /** Sorted by cost, then requests, descending; empty when no row matched. */
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
