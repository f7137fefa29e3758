import type { ApiClient, CallOptions, Query } from './client';
import { ApiError } from './client';
import type { UsageGroup, UsagePage, UsageRecord, UsageSummary } from './types';

/** The windows the console offers, each with the bucket its time series uses. */
export const PERIODS = {
  '1h': { label: 'Last hour', ms: 3_600_000, interval: '1m', intervalMs: 60_000 },
  '24h': { label: 'Last 24 hours', ms: 86_400_000, interval: '15m', intervalMs: 900_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000, interval: '1h', intervalMs: 3_600_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 86_400_000, interval: '6h', intervalMs: 21_600_000 },
} as const;

export type Period = keyof typeof PERIODS;

export const isPeriod = (value: unknown): value is Period =>
  typeof value === 'string' && Object.hasOwn(PERIODS, value);

/** Dimensions the console breaks usage down by (the summary's `groupBy` values). */
export const DIMENSIONS = ['provider', 'model', 'route', 'user', 'team', 'key'] as const;
export type Dimension = (typeof DIMENSIONS)[number];

/**
 * One fixed window, `from` included, `to` excluded. Every call of one overview load uses
 * the same window (not `period`, which each call would end at its own "now"), so the
 * totals, the series and the breakdown describe the same rows.
 */
export interface UsageWindow {
  fromMs: number;
  toMs: number;
}

export function windowOf(period: Period, now = Date.now()): UsageWindow {
  return { fromMs: now - PERIODS[period].ms, toMs: now };
}

const windowQuery = (window: UsageWindow): Query => ({
  from: new Date(window.fromMs).toISOString(),
  to: new Date(window.toMs).toISOString(),
});

/** The totals of a window: the summary's one overall bucket (zeros when no row matched). */
export async function usageTotals(
  api: ApiClient,
  window: UsageWindow,
  filters: Query = {},
  options?: CallOptions,
): Promise<UsageGroup> {
  const summary = await api.get<UsageSummary>(
    '/v1/usage/summary',
    { ...windowQuery(window), ...filters },
    { expiresSession: true, ...options },
  );
  return summary.groups[0] ?? emptyGroup();
}

/** The summary of a window grouped by one dimension. */
export async function usageBreakdown(
  api: ApiClient,
  window: UsageWindow,
  groupBy: Dimension,
  options?: CallOptions,
): Promise<UsageGroup[]> {
  const summary = await api.get<UsageSummary>(
    '/v1/usage/summary',
    { ...windowQuery(window), groupBy },
    options,
  );
  return summary.groups;
}

/**
 * A time series (`groupBy=time`): buckets whose key is their ISO start, empty ones
 * omitted. Undefined when this gateway has no time series yet (it refuses the parameter).
 */
export async function usageSeries(
  api: ApiClient,
  window: UsageWindow,
  interval: string,
  filters: Query = {},
  options?: CallOptions,
): Promise<UsageGroup[] | undefined> {
  try {
    const summary = await api.get<UsageSummary>(
      '/v1/usage/summary',
      { ...windowQuery(window), groupBy: 'time', interval, ...filters },
      options,
    );
    return summary.groups;
  } catch (error) {
    if (error instanceof ApiError && error.refusedParam('groupBy', 'interval')) return undefined;
    throw error;
  }
}

/** Filters of the request history; each is an exact match. */
export interface RequestFilters {
  status?: string;
  provider?: string;
  model?: string;
  user?: string;
  key?: string;
  task?: string;
  cache?: string;
}

export function requestsPage(
  api: ApiClient,
  window: UsageWindow,
  filters: RequestFilters,
  cursor: string | undefined,
  limit: number,
  options?: CallOptions,
): Promise<UsagePage> {
  return api.get<UsagePage>(
    '/v1/usage/requests',
    { ...windowQuery(window), ...filters, cursor, limit },
    { expiresSession: true, ...options },
  );
}

/** One request, and how it was found. */
export interface FoundRequest {
  record: UsageRecord;
  /**
   * `id`: `GET /v1/usage/requests/:id`; `list`: the history list, on a gateway without that
   * endpoint; `client-id`: the history list, by the caller's own request id.
   */
  via: 'id' | 'list' | 'client-id';
}

/**
 * One request of the usage log by the gateway's request id (`x-request-id`). When that
 * finds nothing — or the gateway has no `GET /v1/usage/requests/:id` yet — the last 30
 * days' newest 1,000 rows are searched, by request id and then by the caller's own id
 * (`x-client-request-id`). Undefined when the key can see no such request.
 */
export async function findRequest(
  api: ApiClient,
  requestId: string,
  options?: CallOptions,
): Promise<FoundRequest | undefined> {
  let endpoint = true;
  try {
    const record = await api.get<UsageRecord>(
      `/v1/usage/requests/${encodeURIComponent(requestId)}`,
      undefined,
      options,
    );
    return { record, via: 'id' };
  } catch (error) {
    if (!(error instanceof ApiError && error.status === 404)) throw error;
    endpoint = !error.unknownEndpoint;
  }
  const page = await api.get<UsagePage>(
    '/v1/usage/requests',
    { period: '30d', limit: 1000 },
    options,
  );
  const byId = endpoint ? undefined : page.data.find((row) => row.requestId === requestId);
  if (byId) return { record: byId, via: 'list' };
  const byClientId = page.data.find((row) => row.clientRequestId === requestId);
  return byClientId ? { record: byClientId, via: 'client-id' } : undefined;
}

export function emptyGroup(key: string | null = null): UsageGroup {
  return {
    key,
    requests: 0,
    promptTokens: 0,
    completionTokens: 0,
    cachedTokens: 0,
    totalTokens: 0,
    costUsd: 0,
    costSavedUsd: 0,
    unpricedRequests: 0,
    avgLatencyMs: 0,
    p50LatencyMs: 0,
    p95LatencyMs: 0,
    p50TtftMs: null,
    p95TtftMs: null,
    errorRate: 0,
    cacheHitRate: 0,
  };
}
