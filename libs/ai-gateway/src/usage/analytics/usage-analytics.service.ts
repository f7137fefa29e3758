import { Injectable } from '@nestjs/common';
import type { Clock } from '../../shared/clock';
import { InjectClock } from '../../shared/clock';
import { UsageRepository, usageRowFromEntity } from '../usage.repository';
import type { UsageLogEntity } from '../../database/usage-log.entity';
import { percentileCont } from './percentile';
import type { RawUsageGroup } from './usage-analytics.queries';
import {
  LATENCY_PERCENTILE,
  latencyQuery,
  pageQuery,
  summaryQuery,
  windowQuery,
} from './usage-analytics.queries';
import type {
  UsageRequestRecord,
  UsageRequestsPage,
  UsageScope,
  UsageSummary,
  UsageSummaryGroup,
} from './usage-analytics.types';
import { encodeUsageCursor } from './usage-cursor';
import type { UsageRequestsInput, UsageSummaryInput } from './usage-query';
import { parseUsageRequestsQuery, parseUsageSummaryQuery } from './usage-query';

/** Micro-dollars per dollar. */
const MICRO_PER_USD = 1_000_000;

/** HTTP query strings or the library's typed input. */
type QueryParams = Readonly<Record<string, unknown>>;

/**
 * Usage analytics over the usage log, on PostgreSQL or the embedded store alike:
 * `summary()` aggregates a window in SQL (per provider, model, user, team, key, route,
 * task or status), `requests()` pages through the rows newest first. Windows are
 * relative to the injected clock. Pass a {@link UsageScope} to show a gateway key only
 * its own usage.
 */
@Injectable()
export class UsageAnalytics {
  constructor(
    private readonly repository: UsageRepository,
    @InjectClock() private readonly clock: Clock,
  ) {}

  /**
   * Requests, tokens, cost, latency (mean, p95), error and cache-hit rates per group,
   * sorted by cost then requests, descending. Rejects bad parameters with
   * `invalid_request` naming the parameter.
   */
  async summary(
    input: UsageSummaryInput | QueryParams = {},
    scope?: UsageScope,
  ): Promise<UsageSummary> {
    const query = parseUsageSummaryQuery(input, this.clock.now());
    const dataSource = await this.repository.reader();
    const postgres = dataSource.options.type === 'postgres';
    const rows = await summaryQuery(windowQuery(dataSource, query, scope), query.groupBy, postgres)
      .getRawMany<RawUsageGroup>()
      .then((raw) => raw.filter((row) => Number(row.requests) > 0));
    // SQLite has no percentile function: the embedded store (≤ 10,000 rows) sends the latencies.
    const latencies = postgres
      ? undefined
      : latenciesByGroup(
          await latencyQuery(windowQuery(dataSource, query, scope), query.groupBy).getRawMany<{
            key: string | null;
            latency: number;
          }>(),
        );
    const groups = rows
      .map((row) => groupOf(row, latencies?.get(row.key) ?? []))
      .sort(
        (a, b) =>
          b.costMicroUsd - a.costMicroUsd ||
          b.group.requests - a.group.requests ||
          compareKeys(a.group.key, b.group.key),
      )
      .map(({ group }) => group);
    return {
      period: { from: iso(query.from), to: iso(query.to) },
      groupBy: query.groupBy ?? null,
      groups,
    };
  }

  /**
   * Rows of the usage log, newest first, `limit` per page; pass `nextCursor` back as
   * `cursor` for the next page. Paging is by position, so rows written meanwhile never
   * shift later pages.
   */
  async requests(
    input: UsageRequestsInput | QueryParams = {},
    scope?: UsageScope,
  ): Promise<UsageRequestsPage> {
    const query = parseUsageRequestsQuery(input, this.clock.now());
    const dataSource = await this.repository.reader();
    const entities = await pageQuery(
      windowQuery(dataSource, query, scope),
      query.limit,
      query.cursor,
    ).getMany();
    const page = entities.slice(0, query.limit);
    const last = page.at(-1);
    return {
      data: page.map(recordOf),
      ...(entities.length > query.limit && last
        ? {
            nextCursor: encodeUsageCursor({
              createdAt: last.createdAt.getTime(),
              requestId: last.requestId,
            }),
          }
        : {}),
    };
  }
}

function groupOf(
  row: RawUsageGroup,
  latencies: readonly number[],
): { group: UsageSummaryGroup; costMicroUsd: number } {
  const requests = Number(row.requests);
  const promptTokens = Number(row.promptTokens);
  const completionTokens = Number(row.completionTokens);
  const costMicroUsd = Number(row.costMicroUsd);
  const p95 =
    row.p95 === undefined ? percentileCont(latencies, LATENCY_PERCENTILE) : Number(row.p95);
  return {
    costMicroUsd,
    group: {
      key: row.key,
      requests,
      promptTokens,
      completionTokens,
      cachedTokens: Number(row.cachedTokens),
      totalTokens: promptTokens + completionTokens,
      costUsd: costMicroUsd / MICRO_PER_USD,
      unpricedRequests: Number(row.unpricedRequests),
      avgLatencyMs: round(Number(row.latencySum) / requests, 1),
      p95LatencyMs: round(p95 ?? 0, 1),
      errorRate: round(Number(row.errors) / requests, 4),
      cacheHitRate: round(Number(row.cacheHits) / requests, 4),
    },
  };
}

/** Latencies per group key, each list ascending (the query's order). */
function latenciesByGroup(
  rows: ReadonlyArray<{ key: string | null; latency: number }>,
): Map<string | null, number[]> {
  const byGroup = new Map<string | null, number[]>();
  for (const { key, latency } of rows) {
    const list = byGroup.get(key);
    if (list) list.push(Number(latency));
    else byGroup.set(key, [Number(latency)]);
  }
  return byGroup;
}

function recordOf(entity: UsageLogEntity): UsageRequestRecord {
  const { createdAt, costMicroUsd, ...row } = usageRowFromEntity(entity);
  return {
    ...row,
    createdAt: iso(createdAt),
    costUsd: costMicroUsd === null ? null : costMicroUsd / MICRO_PER_USD,
  };
}

/** Null keys last, the rest in code-point order: the same on every store. */
function compareKeys(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}

function round(value: number, decimals: number): number {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}
