import type { DataSource, SelectQueryBuilder } from 'typeorm';
import { UsageLogEntity } from '../../database/usage-log.entity';
import { USAGE_STATUS_OK } from '../usage-row';
import type { UsageScope } from './usage-analytics.types';
import type { UsageCursor } from './usage-cursor';
import type { UsageDimension, UsageWindow } from './usage-query';

/** Alias of `usage_log` in every analytics query. */
const ROW = 'u';

/** Cache outcomes that count as hits (what `isCacheHit` calls one; the cache writes these two). */
export const CACHE_HIT_STATUSES = ['hit', 'semantic-hit'] as const;

/** Percentile reported as `p95LatencyMs`. */
export const LATENCY_PERCENTILE = 0.95;

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
};

/** A summary bucket as the database returns it: PostgreSQL sends counts and sums as text. */
export interface RawUsageGroup {
  key: string | null;
  requests: string | number;
  promptTokens: string | number;
  completionTokens: string | number;
  cachedTokens: string | number;
  costMicroUsd: string | number;
  unpricedRequests: string | number;
  latencySum: string | number;
  errors: string | number;
  cacheHits: string | number;
  /** PostgreSQL only: `percentile_cont` of the latencies. */
  p95?: string | number | null;
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

/** One aggregate row per group (or one overall row): counts and integer sums, in SQL. */
export function summaryQuery(
  query: SelectQueryBuilder<UsageLogEntity>,
  groupBy: UsageDimension | undefined,
  postgres: boolean,
): SelectQueryBuilder<UsageLogEntity> {
  const key = groupBy ? `${ROW}.${DIMENSION_FIELDS[groupBy]}` : 'NULL';
  const sum = (field: keyof UsageLogEntity): string => `COALESCE(SUM(${ROW}.${field}), 0)`;
  const count = (condition: string): string => `SUM(CASE WHEN ${condition} THEN 1 ELSE 0 END)`;
  query
    .select(key, 'key')
    .addSelect('COUNT(*)', 'requests')
    .addSelect(sum('promptTokens'), 'promptTokens')
    .addSelect(sum('completionTokens'), 'completionTokens')
    .addSelect(sum('cachedTokens'), 'cachedTokens')
    .addSelect(sum('costMicroUsd'), 'costMicroUsd')
    .addSelect(
      count(`${ROW}.costMicroUsd IS NULL AND ${ROW}.promptTokens + ${ROW}.completionTokens > 0`),
      'unpricedRequests',
    )
    .addSelect(sum('latencyMs'), 'latencySum')
    .addSelect(count(`${ROW}.status <> :ok`), 'errors')
    .addSelect(count(`${ROW}.cacheStatus IN (:...cacheHits)`), 'cacheHits')
    .setParameters({ ok: USAGE_STATUS_OK, cacheHits: [...CACHE_HIT_STATUSES] });
  if (postgres) {
    query.addSelect(
      `percentile_cont(${LATENCY_PERCENTILE}) WITHIN GROUP (ORDER BY ${ROW}.latencyMs)`,
      'p95',
    );
  }
  if (groupBy) query.groupBy(key);
  return query;
}

/** The embedded store's percentile input: each row's group and latency, ascending by latency. */
export function latencyQuery(
  query: SelectQueryBuilder<UsageLogEntity>,
  groupBy: UsageDimension | undefined,
): SelectQueryBuilder<UsageLogEntity> {
  return query
    .select(groupBy ? `${ROW}.${DIMENSION_FIELDS[groupBy]}` : 'NULL', 'key')
    .addSelect(`${ROW}.latencyMs`, 'latency')
    .orderBy(`${ROW}.latencyMs`, 'ASC');
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
