import { usageRow } from '../usage.fixtures';
import type { UsageRow } from '../usage-row';
import { DIMENSION_FIELDS } from './usage-analytics.queries';
import type { UsageScope, UsageSummaryGroup } from './usage-analytics.types';
import type { UsageDimension, UsageWindow } from './usage-query';

/** The analytics specs' fixed "now": 2025-11-22T00:00:00.000Z. */
export const ANALYTICS_NOW = 1_763_769_600_000;
export const MINUTE = 60_000;
export const DAY = 86_400_000;

const ERRORS: Readonly<Record<number, string>> = {
  5: 'timeout',
  21: 'rate_limited',
  33: 'timeout',
  34: 'server_error',
};
const CACHE: Readonly<Record<number, string>> = {
  2: 'hit',
  4: 'hit',
  22: 'hit',
  24: 'semantic-hit',
};

/**
 * Forty requests in the last hour, built so every figure is hand-computable:
 * `openai` i = 0–19 (latency 100 + 10i), `anthropic` 20–31 (1000 + 100(i−20)),
 * `gemini` 32–39 (50(i−31), unpriced); users alternate alice/bob, teams
 * research/research/sales/sales, key_a every third row; failures at 5, 21, 33, 34
 * (no tokens, no cost); cache hits at 2, 4, 22 and a semantic hit at 24. Two rows
 * share each minute, so paging must break ties by request id.
 */
export function analyticsDataset(): UsageRow[] {
  return Array.from({ length: 40 }, (_, i): UsageRow => {
    const provider = i < 20 ? 'openai' : i < 32 ? 'anthropic' : 'gemini';
    const status = ERRORS[i] ?? 'ok';
    const ok = status === 'ok';
    const prompt = ok ? 100 + 10 * i : 0;
    const completion = ok ? 20 + i : 0;
    const priced = ok && provider !== 'gemini';
    return usageRow(i, {
      requestId: `r-${String(i).padStart(2, '0')}`,
      createdAt: ANALYTICS_NOW - (Math.floor(i / 2) + 1) * MINUTE,
      provider,
      model:
        provider === 'openai'
          ? i % 2 === 0
            ? 'gpt-4o-mini'
            : 'gpt-4o'
          : provider === 'anthropic'
            ? 'claude-sonnet'
            : 'gemini-flash',
      userId: i % 2 === 0 ? 'alice' : 'bob',
      teamId: i % 4 < 2 ? 'research' : 'sales',
      keyId: i % 3 === 0 ? 'key_a' : 'key_b',
      route: i % 5 === 0 ? null : 'smart',
      task: i < 10 ? 'parse' : null,
      ingress: i % 3 === 1 ? 'responses' : i % 3 === 2 ? 'messages' : 'chat.completions',
      status,
      errorCode: ok ? null : status,
      promptTokens: prompt,
      completionTokens: completion,
      cachedTokens: ok && i % 4 === 0 ? 50 : 0,
      costMicroUsd: priced ? 2 * prompt + 10 * completion : null,
      costSavedMicroUsd: CACHE[i] ? 1_000 + i : 0,
      priced,
      latencyMs:
        provider === 'openai'
          ? 100 + 10 * i
          : provider === 'anthropic'
            ? 1_000 + 100 * (i - 20)
            : 50 * (i - 31),
      cacheStatus: CACHE[i] ?? 'miss',
      stream: i % 3 === 0,
      ttftMs: i % 3 === 0 ? 20 + 7 * i : null,
    });
  });
}

/** Rows outside the last 24 hours: one in the future, then 2, 10 and 40 days old. */
export function rowsOutsideTheDay(): UsageRow[] {
  return [
    usageRow(900, { requestId: 'out-future', createdAt: ANALYTICS_NOW + MINUTE }),
    usageRow(901, { requestId: 'out-2d', createdAt: ANALYTICS_NOW - 2 * DAY }),
    usageRow(902, { requestId: 'out-10d', createdAt: ANALYTICS_NOW - 10 * DAY }),
    usageRow(903, { requestId: 'out-40d', createdAt: ANALYTICS_NOW - 40 * DAY }),
  ];
}

/** The row field behind each dimension: the queries' own map (entity and row share names). */
const FIELD = DIMENSION_FIELDS as Readonly<Record<UsageDimension, keyof UsageRow>>;

/** The rows a query should see, picked one by one (the reference for the SQL). */
export function rowsIn(rows: readonly UsageRow[], window: UsageWindow, scope?: UsageScope) {
  return rows.filter(
    (row) =>
      row.createdAt >= window.from &&
      row.createdAt < window.to &&
      Object.entries(window.filters).every(
        ([dimension, value]) => row[FIELD[dimension as UsageDimension]] === value,
      ) &&
      (!scope || (!!scope.keyId && row.keyId === scope.keyId)),
  );
}

/** What a summary should say, computed row by row in plain loops. */
export function referenceGroups(
  rows: readonly UsageRow[],
  groupBy: UsageDimension | undefined,
): UsageSummaryGroup[] {
  const groups = new Map<string | null, UsageRow[]>();
  for (const row of rows) {
    const key = groupBy ? ((row[FIELD[groupBy]] as string | null | undefined) ?? null) : null;
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const round = (value: number, decimals: number): number =>
    Math.round(value * 10 ** decimals) / 10 ** decimals;
  const summed = [...groups].map(([key, members]) => {
    let prompt = 0;
    let completion = 0;
    let cached = 0;
    let cost = 0;
    let saved = 0;
    let unpriced = 0;
    let latency = 0;
    let errors = 0;
    let hits = 0;
    for (const row of members) {
      prompt += row.promptTokens;
      completion += row.completionTokens;
      cached += row.cachedTokens;
      cost += row.costMicroUsd ?? 0;
      saved += row.costSavedMicroUsd;
      if (row.costMicroUsd === null && row.promptTokens + row.completionTokens > 0) unpriced++;
      latency += row.latencyMs;
      if (row.status !== 'ok') errors++;
      if (row.cacheStatus === 'hit' || row.cacheStatus === 'semantic-hit') hits++;
    }
    const latencies = members.map((row) => row.latencyMs).sort((a, b) => a - b);
    const ttfts = members
      .flatMap((row) => (row.ttftMs === null || row.ttftMs === undefined ? [] : [row.ttftMs]))
      .sort((a, b) => a - b);
    const ms = (value: number | undefined): number | null =>
      value === undefined ? null : round(value, 1);
    const n = members.length;
    return {
      cost,
      group: {
        key,
        requests: n,
        promptTokens: prompt,
        completionTokens: completion,
        cachedTokens: cached,
        totalTokens: prompt + completion,
        costUsd: cost / 1_000_000,
        costSavedUsd: saved / 1_000_000,
        unpricedRequests: unpriced,
        avgLatencyMs: round(latency / n, 1),
        p50LatencyMs: round(percentileCont(latencies, 0.5) ?? 0, 1),
        p95LatencyMs: round(percentileCont(latencies, 0.95) ?? 0, 1),
        p50TtftMs: ms(percentileCont(ttfts, 0.5)),
        p95TtftMs: ms(percentileCont(ttfts, 0.95)),
        errorRate: round(errors / n, 4),
        cacheHitRate: round(hits / n, 4),
      },
    };
  });
  return summed
    .sort(
      (a, b) =>
        b.cost - a.cost ||
        b.group.requests - a.group.requests ||
        (a.group.key === null ? 1 : b.group.key === null ? -1 : a.group.key < b.group.key ? -1 : 1),
    )
    .map(({ group }) => group);
}

/**
 * The continuous percentile of ascending values, interpolated exactly as PostgreSQL's
 * `percentile_cont(fraction) WITHIN GROUP (ORDER BY …)` does, so the embedded store
 * (SQLite has no percentile function) reports the same figure. Undefined when empty. The
 * reference the SQL (`percentileQuery` + `interpolatePercentile`) is checked against.
 */
function percentileCont(ascending: readonly number[], fraction: number): number | undefined {
  if (ascending.length === 0) return undefined;
  const position = fraction * (ascending.length - 1);
  const lower = Math.floor(position);
  const low = ascending[lower];
  const high = ascending[Math.ceil(position)];
  return low + (high - low) * (position - lower);
}
