import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { UsageLogEntity } from '../../database/usage-log.entity';
import { USAGE_STATUS_OK } from '../usage-row';
import type { UsageScope } from './usage-analytics.types';
import type { UsageCursor } from './usage-cursor';
import type { UsageDimension, UsageSummaryQuery, UsageWindow } from './usage-query';

/** Alias of `usage_log` in every analytics query. */
const ROW = 'u';

/** Cache outcomes that count as hits (what `isCacheHit` calls one; the cache writes these two). */
export const CACHE_HIT_STATUSES = ['hit', 'semantic-hit'] as const;

/** Percentiles reported for latency and time to first token (`p50…`, `p95…`). */
export const PERCENTILES = { p50: 0.5, p95: 0.95 } as const;

/** The entity field behind each dimension (the only column names a query parameter selects). */
export const DIMENSION_FIELDS: Readonly<Record<UsageDimension, keyof UsageLogEntity>> = {
  provider: 'provider',
  model: 'model',
  user: 'userId',
  team: 'teamId',
  key: 'keyId',
  route: 'route',
  task: 'task',
  ingress: 'ingress',
  status: 'status',
  cache: 'cacheStatus',
};

/** A summary bucket as the database returns it: PostgreSQL sends counts and sums as text. */
export interface RawUsageGroup {
  key: string | null;
  requests: string | number;
  promptTokens: string | number;
  completionTokens: string | number;
  cachedTokens: string | number;
  costMicroUsd: string | number;
  costSavedMicroUsd: string | number;
  unpricedRequests: string | number;
  latencySum: string | number;
  errors: string | number;
  cacheHits: string | number;
  /** PostgreSQL only: `percentile_cont` of the latencies and of the times to first token. */
  latencyP50?: string | number | null;
  latencyP95?: string | number | null;
  ttftP50?: string | number | null;
  ttftP95?: string | number | null;
}

/**
 * The SQL of a summary group's key: a dimension's column, a time bucket's number
 * (`floor(epoch ms / interval)`, which the caller turns back into the bucket's start) or
 * NULL for one overall bucket. The interval comes from a fixed list, never from the caller's
 * text, so it is written into the SQL as a number.
 */
export function groupKeyOf(query: UsageSummaryQuery, postgres: boolean): string {
  if (query.groupBy === 'time') {
    const ms = query.interval?.ms ?? 3_600_000;
    return postgres
      ? `FLOOR(EXTRACT(EPOCH FROM ${ROW}.createdAt) * 1000 / ${ms})`
      : // SQLite keeps times as UTC text 'YYYY-MM-DD HH:MM:SS.SSS' (integer division below).
        `((CAST(strftime('%s', ${ROW}.createdAt) AS INTEGER) * 1000 + CAST(substr(${ROW}.createdAt, 21, 3) AS INTEGER)) / ${ms})`;
  }
  return query.groupBy ? `${ROW}.${DIMENSION_FIELDS[query.groupBy]}` : 'NULL';
}

/**
 * The rows of one window (`from` ≤ created_at < `to`), filters and key scope applied —
 * every value a bound parameter, every column from the entity's metadata (so the
 * configured PostgreSQL schema is respected).
 */
export function windowQuery(
  dataSource: DataSource,
  window: UsageWindow,
  scope?: UsageScope,
): SelectQueryBuilder<UsageLogEntity> {
  const query = dataSource
    .getRepository(UsageLogEntity)
    .createQueryBuilder(ROW)
    .where(`${ROW}.createdAt >= :from AND ${ROW}.createdAt < :to`, {
      from: new Date(window.from),
      to: new Date(window.to),
    });
  for (const [dimension, value] of Object.entries(window.filters)) {
    const field = DIMENSION_FIELDS[dimension as UsageDimension];
    query.andWhere(`${ROW}.${field} = :filter_${dimension}`, { [`filter_${dimension}`]: value });
  }
  if (scope) {
    // A scope without a key id sees nothing rather than everything.
    if (scope.keyId) query.andWhere(`${ROW}.keyId = :scopeKeyId`, { scopeKeyId: scope.keyId });
    else query.andWhere('1 = 0');
  }
  return query;
}

/**
 * One aggregate row per group (or one overall row): counts and integer sums, in SQL, and
 * on PostgreSQL the percentiles too ({@link percentileQuery} computes them on SQLite).
 */
export function summaryQuery(
  query: SelectQueryBuilder<UsageLogEntity>,
  key: string,
  postgres: boolean,
): SelectQueryBuilder<UsageLogEntity> {
  const sum = (field: keyof UsageLogEntity): string => `COALESCE(SUM(${ROW}.${field}), 0)`;
  const count = (condition: string): string => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
  query
    .select(key, 'key')
    .addSelect('COUNT(*)', 'requests')
    .addSelect(sum('promptTokens'), 'promptTokens')
    .addSelect(sum('completionTokens'), 'completionTokens')
    .addSelect(sum('cachedTokens'), 'cachedTokens')
    .addSelect(sum('costMicroUsd'), 'costMicroUsd')
    .addSelect(sum('costSavedMicroUsd'), 'costSavedMicroUsd')
    .addSelect(
      count(`${ROW}.costMicroUsd IS NULL AND ${ROW}.promptTokens + ${ROW}.completionTokens > 0`),
      'unpricedRequests',
    )
    .addSelect(sum('latencyMs'), 'latencySum')
    .addSelect(count(`${ROW}.status <> :ok`), 'errors')
    .addSelect(count(`${ROW}.cacheStatus IN (:...cacheHits)`), 'cacheHits')
    .setParameters({ ok: USAGE_STATUS_OK, cacheHits: [...CACHE_HIT_STATUSES] });
  if (postgres) {
    // Ordered-set aggregates skip NULLs: the TTFT percentiles cover the streamed rows only.
    const percentile = (fraction: number, field: keyof UsageLogEntity): string =>
      `percentile_cont(${fraction}) WITHIN GROUP (ORDER BY ${ROW}.${field})`;
    query
      .addSelect(percentile(PERCENTILES.p50, 'latencyMs'), 'latencyP50')
      .addSelect(percentile(PERCENTILES.p95, 'latencyMs'), 'latencyP95')
      .addSelect(percentile(PERCENTILES.p50, 'ttftMs'), 'ttftP50')
      .addSelect(percentile(PERCENTILES.p95, 'ttftMs'), 'ttftP95');
  }
  if (key !== 'NULL') query.groupBy(key);
  return query;
}

/** One group's percentile inputs on SQLite: the values either side of each percentile. */
export interface RawPercentiles {
  key: string | number | null;
  n: number;
  p50lo: number | null;
  p50hi: number | null;
  p95lo: number | null;
  p95hi: number | null;
}

/**
 * SQLite has no percentile function: per group, the rows are ranked by `field` (window
 * functions) and the two values either side of each percentile's position `p·(n−1)` are
 * picked — what PostgreSQL's `percentile_cont` interpolates between, so
 * {@link interpolatePercentile} gives the same figure. Rows without a value (TTFT of a
 * non-streamed request) are left out, as PostgreSQL leaves them out. Returns SQL and its
 * parameters; the aggregation stays in the database, only one row per group comes back.
 */
export function percentileQuery(
  query: SelectQueryBuilder<UsageLogEntity>,
  key: string,
  field: 'latencyMs' | 'ttftMs',
): [string, unknown[]] {
  const [inner, params] = query
    .select(key, 'k')
    .addSelect(`${ROW}.${field}`, 'v')
    .andWhere(`${ROW}.${field} IS NOT NULL`)
    .getQueryAndParameters();
  const pick = (fraction: number, offset: number): string =>
    `MAX(CASE WHEN i = CAST(${fraction} * (n - 1) AS INTEGER) + ${offset} THEN v END)`;
  const sql =
    `WITH w AS (${inner}), ` +
    `r AS (SELECT k, v, ROW_NUMBER() OVER (PARTITION BY k ORDER BY v) - 1 AS i, COUNT(*) OVER (PARTITION BY k) AS n FROM w) ` +
    `SELECT k AS "key", MAX(n) AS "n", ` +
    `${pick(PERCENTILES.p50, 0)} AS "p50lo", ${pick(PERCENTILES.p50, 1)} AS "p50hi", ` +
    `${pick(PERCENTILES.p95, 0)} AS "p95lo", ${pick(PERCENTILES.p95, 1)} AS "p95hi" ` +
    `FROM r GROUP BY k`;
  return [sql, params];
}

/** `percentile_cont`'s value from the two neighbours {@link percentileQuery} picked. */
export function interpolatePercentile(
  n: number,
  fraction: number,
  low: number | null,
  high: number | null,
): number | undefined {
  if (n === 0 || low === null) return undefined;
  const position = fraction * (n - 1);
  const above = high ?? low;
  return low + (above - low) * (position - Math.floor(position));
}

/** The one row of a request id (within the query's scope). */
export function requestQuery(
  query: SelectQueryBuilder<UsageLogEntity>,
  requestId: string,
): SelectQueryBuilder<UsageLogEntity> {
  return query.andWhere(`${ROW}.requestId = :requestId`, { requestId });
}

/** One page of rows, newest first, strictly after the cursor; one extra row tells whether more follow. */
export function pageQuery(
  query: SelectQueryBuilder<UsageLogEntity>,
  limit: number,
  cursor: UsageCursor | undefined,
): SelectQueryBuilder<UsageLogEntity> {
  if (cursor) {
    query.andWhere(
      `(${ROW}.createdAt < :cursorAt OR (${ROW}.createdAt = :cursorAt AND ${ROW}.requestId < :cursorId))`,
      { cursorAt: new Date(cursor.createdAt), cursorId: cursor.requestId },
    );
  }
  return query
    .orderBy(`${ROW}.createdAt`, 'DESC')
    .addOrderBy(`${ROW}.requestId`, 'DESC')
    .limit(limit + 1);
}
