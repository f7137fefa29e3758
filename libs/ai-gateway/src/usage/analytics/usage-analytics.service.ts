import { Injectable } from '@nestjs/common';
import type { Clock } from '../../shared/clock';
import { InjectClock } from '../../shared/clock';
import { UsageRepository, usageRowFromEntity } from '../usage.repository';
import type { UsageLogEntity } from '../../database/usage-log.entity';
import type { RawPercentiles, RawUsageGroup } from './usage-analytics.queries';
import {
  PERCENTILES,
  groupKeyOf,
  interpolatePercentile,
  pageQuery,
  percentileQuery,
  requestQuery,
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
import { MAX_TIMESTAMP_MS, encodeUsageCursor } from './usage-cursor';
import type { UsageRequestsInput, UsageSummaryInput, UsageSummaryQuery } from './usage-query';
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
    const key = groupKeyOf(query, postgres);
    const [sql, params] = summaryQuery(
      windowQuery(dataSource, query, scope),
      key,
      postgres,
    ).getQueryAndParameters();
    const rows = (await this.repository.readRaw<RawUsageGroup>(sql, params)).filter(
      (row) => Number(row.requests) > 0,
    );
    // SQLite has no percentile function: one more pass per measure picks the neighbours.
    const percentiles = async (field: 'latencyMs' | 'ttftMs') =>
      new Map(
        (
          await this.repository.readRaw<RawPercentiles>(
            ...percentileQuery(windowQuery(dataSource, query, scope), key, field),
          )
        ).map((row) => [row.key, row] as const),
      );
    const latency = postgres ? undefined : await percentiles('latencyMs');
    const ttft = postgres ? undefined : await percentiles('ttftMs');
    const groups = rows.map((row) => {
      if (latency && ttft) {
        const l = latency.get(row.key);
        const t = ttft.get(row.key);
        row.latencyP50 = l && interpolatePercentile(l.n, PERCENTILES.p50, l.p50lo, l.p50hi);
        row.latencyP95 = l && interpolatePercentile(l.n, PERCENTILES.p95, l.p95lo, l.p95hi);
        row.ttftP50 = t && interpolatePercentile(t.n, PERCENTILES.p50, t.p50lo, t.p50hi);
        row.ttftP95 = t && interpolatePercentile(t.n, PERCENTILES.p95, t.p95lo, t.p95hi);
      }
      return groupOf(row, query);
    });
    groups.sort(
      query.groupBy === 'time'
        ? (a, b) => compareKeys(a.group.key, b.group.key)
        : (a, b) =>
            b.costMicroUsd - a.costMicroUsd ||
            b.group.requests - a.group.requests ||
            compareKeys(a.group.key, b.group.key),
    );
    return {
      period: { from: iso(query.from), to: iso(query.to) },
      groupBy: query.groupBy ?? null,
      ...(query.interval ? { interval: query.interval.name } : {}),
      groups: groups.map(({ group }) => group),
    };
  }

  /** One request of the usage log by its request id, if the scope may see it. */
  async request(requestId: string, scope?: UsageScope): Promise<UsageRequestRecord | undefined> {
    if (typeof requestId !== 'string' || requestId.length === 0 || requestId.length > 256) {
      return undefined;
    }
    const dataSource = await this.repository.reader();
    const everything = { from: 0, to: MAX_TIMESTAMP_MS - 1, filters: {} };
    const entity = await requestQuery(
      windowQuery(dataSource, everything, scope),
      requestId,
    ).getOne();
    return entity ? recordOf(entity) : undefined;
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
  query: UsageSummaryQuery,
): { group: UsageSummaryGroup; costMicroUsd: number } {
  const requests = Number(row.requests);
  const promptTokens = Number(row.promptTokens);
  const completionTokens = Number(row.completionTokens);
  const costMicroUsd = Number(row.costMicroUsd);
  const key =
    query.groupBy === 'time' && query.interval && row.key !== null
      ? iso(Number(row.key) * query.interval.ms)
      : row.key === null
        ? null
        : String(row.key);
  return {
    costMicroUsd,
    group: {
      key,
      requests,
      promptTokens,
      completionTokens,
      cachedTokens: Number(row.cachedTokens),
      totalTokens: promptTokens + completionTokens,
      costUsd: costMicroUsd / MICRO_PER_USD,
      costSavedUsd: Number(row.costSavedMicroUsd) / MICRO_PER_USD,
      unpricedRequests: Number(row.unpricedRequests),
      avgLatencyMs: round(Number(row.latencySum) / requests, 1),
      p50LatencyMs: round(Number(row.latencyP50 ?? 0), 1),
      p95LatencyMs: round(Number(row.latencyP95 ?? 0), 1),
      p50TtftMs: optionalMs(row.ttftP50),
      p95TtftMs: optionalMs(row.ttftP95),
      errorRate: round(Number(row.errors) / requests, 4),
      cacheHitRate: round(Number(row.cacheHits) / requests, 4),
    },
  };
}

/** A percentile in ms (one decimal), or null when no row of the group had the value. */
function optionalMs(value: string | number | null | undefined): number | null {
  return value === null || value === undefined ? null : round(Number(value), 1);
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
