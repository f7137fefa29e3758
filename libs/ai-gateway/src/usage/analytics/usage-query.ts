import { GatewayError } from '../../errors/gateway.error';
import { MAX_TIMESTAMP_MS, parseUsageCursor } from './usage-cursor';
import type { UsageCursor } from './usage-cursor';

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 86_400_000;

/** Relative windows ending now: `period=1h|24h|7d|30d`. */
export const USAGE_PERIODS = {
  '1h': HOUR_MS,
  '24h': DAY_MS,
  '7d': 7 * DAY_MS,
  '30d': 30 * DAY_MS,
} as const;

/** Buckets of a time series (`groupBy=time&interval=…`), aligned to the epoch (UTC). */
export const USAGE_INTERVALS = {
  '1m': MINUTE_MS,
  '5m': 5 * MINUTE_MS,
  '15m': 15 * MINUTE_MS,
  '1h': HOUR_MS,
  '6h': 6 * HOUR_MS,
  '1d': DAY_MS,
} as const;

/** A time series bucket's name. */
export type UsageInterval = keyof typeof USAGE_INTERVALS;

/** Without `interval`, the finest bucket that gives at most this many over the window. */
const DEFAULT_BUCKETS = 200;
/** Most buckets one time series may have. */
export const MAX_USAGE_BUCKETS = 10_000;

/** A relative window's name. */
export type UsagePeriod = keyof typeof USAGE_PERIODS;

/** Longest `from`/`to` window. */
export const MAX_USAGE_SPAN_MS = 366 * DAY_MS;

/** Dimensions a summary can be grouped by; the same names filter both endpoints. */
export const USAGE_DIMENSIONS = [
  'provider',
  'model',
  'user',
  'team',
  'key',
  'route',
  'task',
  'ingress',
  'status',
  'cache',
] as const;

/** One dimension of the usage log: `provider`, `model`, `user`, … */
export type UsageDimension = (typeof USAGE_DIMENSIONS)[number];

/** Exact-match filters, by dimension. */
export type UsageFilters = Partial<Record<UsageDimension, string>>;

/** Rows per `/requests` page: default and bounds. */
export const USAGE_PAGE = { default: 100, min: 1, max: 1_000 } as const;

/** Longest filter value (the usage log keeps labels up to 256 characters). */
const MAX_FILTER_LENGTH = 256;
/** The usage log stores no control characters (PostgreSQL text cannot hold NUL at all). */
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A time as the caller gives it: ISO-8601 text, epoch milliseconds or a `Date`. */
export type UsageTimeInput = string | number | Date;

/**
 * The window and filters both endpoints take. Give `period` (ending now) or
 * `from`/`to` (`to` defaults to now); neither means the last 24 hours.
 */
export interface UsageWindowInput extends Partial<Record<UsageDimension, string>> {
  period?: string;
  from?: UsageTimeInput;
  to?: UsageTimeInput;
}

/**
 * Input of `UsageAnalytics.summary`: the window, filters and an optional `groupBy` — a
 * dimension, or `time` for a time series in buckets of `interval`.
 */
export interface UsageSummaryInput extends UsageWindowInput {
  groupBy?: string;
  interval?: string;
}

/** Input of `UsageAnalytics.requests`: the window, filters, page size and the previous page's cursor. */
export interface UsageRequestsInput extends UsageWindowInput {
  limit?: string | number;
  cursor?: string;
}

/** A validated window: epoch milliseconds, `from` included, `to` excluded. */
export interface UsageWindow {
  from: number;
  to: number;
  filters: UsageFilters;
}

/** A validated summary query. */
export interface UsageSummaryQuery extends UsageWindow {
  /** Absent: one overall bucket. */
  groupBy?: UsageDimension | 'time';
  /** `groupBy: 'time'` only: the bucket's name and length. */
  interval?: { name: UsageInterval; ms: number };
}

/** A validated `/requests` query. */
export interface UsageRequestsQuery extends UsageWindow {
  limit: number;
  /** Rows strictly older (in the newest-first order) than this position. */
  cursor?: UsageCursor;
}

/** Raw parameters: typed input from the library, or strings (and repeats) from HTTP. */
type RawParams = Readonly<Record<string, unknown>>;

const WINDOW_PARAMS = ['period', 'from', 'to', ...USAGE_DIMENSIONS];
const SUMMARY_PARAMS: ReadonlySet<string> = new Set([...WINDOW_PARAMS, 'groupBy', 'interval']);
const REQUESTS_PARAMS: ReadonlySet<string> = new Set([...WINDOW_PARAMS, 'limit', 'cursor']);

/** Validates a summary query; every bad value is a 400 naming the parameter. `now`: epoch ms. */
export function parseUsageSummaryQuery(
  input: UsageSummaryInput | RawParams,
  now: number,
): UsageSummaryQuery {
  const params = paramsOf(input, SUMMARY_PARAMS);
  const groupBy = params.groupBy;
  if (groupBy === 'time') {
    const window = windowOf(params, now);
    return { ...window, groupBy, interval: intervalOf(params.interval, window) };
  }
  if (params.interval !== undefined) {
    throw GatewayError.invalidRequest("Invalid 'interval': only with groupBy=time", 'interval');
  }
  if (groupBy === undefined) return windowOf(params, now);
  if (!isDimension(groupBy)) {
    throw GatewayError.invalidRequest(
      `Invalid 'groupBy': use time or one of ${USAGE_DIMENSIONS.join(', ')}`,
      'groupBy',
    );
  }
  return { ...windowOf(params, now), groupBy };
}

/** The named bucket, or the finest giving at most {@link DEFAULT_BUCKETS} over the window. */
function intervalOf(value: unknown, window: UsageWindow): { name: UsageInterval; ms: number } {
  const span = window.to - window.from;
  if (value === undefined) {
    const names = Object.keys(USAGE_INTERVALS) as UsageInterval[];
    const name = names.find((n) => span / USAGE_INTERVALS[n] <= DEFAULT_BUCKETS) ?? '1d';
    return { name, ms: USAGE_INTERVALS[name] };
  }
  if (typeof value !== 'string' || !Object.hasOwn(USAGE_INTERVALS, value)) {
    throw GatewayError.invalidRequest(
      `Invalid 'interval': use one of ${Object.keys(USAGE_INTERVALS).join(', ')}`,
      'interval',
    );
  }
  const ms = USAGE_INTERVALS[value as UsageInterval];
  if (span / ms > MAX_USAGE_BUCKETS) {
    throw GatewayError.invalidRequest(
      `Invalid 'interval': ${value} makes more than ${MAX_USAGE_BUCKETS} buckets over this window`,
      'interval',
    );
  }
  return { name: value as UsageInterval, ms };
}

/** Validates a `/requests` query; every bad value is a 400 naming the parameter. `now`: epoch ms. */
export function parseUsageRequestsQuery(
  input: UsageRequestsInput | RawParams,
  now: number,
): UsageRequestsQuery {
  const params = paramsOf(input, REQUESTS_PARAMS);
  const query: UsageRequestsQuery = { ...windowOf(params, now), limit: limitOf(params.limit) };
  if (params.cursor !== undefined) query.cursor = parseUsageCursor(params.cursor);
  return query;
}

/** The defined parameters; unknown names and repeated HTTP parameters are refused. */
function paramsOf(input: object, allowed: ReadonlySet<string>): RawParams {
  if (typeof input !== 'object' || input === null) {
    throw GatewayError.invalidRequest('Invalid usage query: expected an object of parameters');
  }
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (!allowed.has(name)) {
      throw GatewayError.invalidRequest(
        `Unknown parameter '${name}': use ${[...allowed].join(', ')}`,
        name,
      );
    }
    if (Array.isArray(value)) {
      throw GatewayError.invalidRequest(`Invalid '${name}': give it once`, name);
    }
    params[name] = value;
  }
  return params;
}

function windowOf(params: RawParams, now: number): UsageWindow {
  const filters = filtersOf(params);
  const { period, from, to } = params;
  if (period !== undefined) {
    if (from !== undefined || to !== undefined) {
      throw GatewayError.invalidRequest(
        "Invalid 'period': give either 'period' or 'from'/'to', not both",
        'period',
      );
    }
    if (typeof period !== 'string' || !Object.hasOwn(USAGE_PERIODS, period)) {
      throw GatewayError.invalidRequest(
        `Invalid 'period': use one of ${Object.keys(USAGE_PERIODS).join(', ')}`,
        'period',
      );
    }
    return { from: now - USAGE_PERIODS[period as UsagePeriod], to: now, filters };
  }
  if (from === undefined) {
    if (to !== undefined)
      throw GatewayError.invalidRequest("Invalid 'to': give 'from' too", 'from');
    return { from: now - USAGE_PERIODS['24h'], to: now, filters };
  }
  const start = timeOf(from, 'from');
  const end = to === undefined ? now : timeOf(to, 'to');
  if (start >= end)
    throw GatewayError.invalidRequest("Invalid 'from': must be before 'to'", 'from');
  if (end - start > MAX_USAGE_SPAN_MS) {
    throw GatewayError.invalidRequest("Invalid 'to': at most 366 days after 'from'", 'to');
  }
  return { from: start, to: end, filters };
}

function filtersOf(params: RawParams): UsageFilters {
  const filters: UsageFilters = {};
  for (const name of USAGE_DIMENSIONS) {
    const value = params[name];
    if (value === undefined) continue;
    if (
      typeof value !== 'string' ||
      value === '' ||
      value.length > MAX_FILTER_LENGTH ||
      CONTROL.test(value)
    ) {
      throw GatewayError.invalidRequest(
        `Invalid '${name}': a non-empty string of at most ${MAX_FILTER_LENGTH} characters, without control characters`,
        name,
      );
    }
    filters[name] = value;
  }
  return filters;
}

function limitOf(value: unknown): number {
  if (value === undefined) return USAGE_PAGE.default;
  const limit = typeof value === 'string' && /^\d{1,7}$/.test(value) ? Number(value) : value;
  if (
    typeof limit !== 'number' ||
    !Number.isInteger(limit) ||
    limit < USAGE_PAGE.min ||
    limit > USAGE_PAGE.max
  ) {
    throw GatewayError.invalidRequest(
      `Invalid 'limit': a whole number from ${USAGE_PAGE.min} to ${USAGE_PAGE.max}`,
      'limit',
    );
  }
  return limit;
}

/** `2025-01-31`, `2025-01-31T12:00Z`, `2025-01-31T12:00:00.000+02:00`: a zone is required with a time. */
const ISO_TIME =
  /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(?:Z|[+-]\d{2}:?\d{2}))?$/;

function timeOf(value: unknown, name: 'from' | 'to'): number {
  const ms = timeValue(value);
  if (ms === undefined) {
    throw GatewayError.invalidRequest(
      `Invalid '${name}': an ISO-8601 time such as 2025-01-31T00:00:00Z`,
      name,
    );
  }
  return ms;
}

function timeValue(value: unknown): number | undefined {
  if (value instanceof Date) return validMs(value.getTime());
  if (typeof value === 'number') return Number.isInteger(value) ? validMs(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const match = ISO_TIME.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour = '0', minute = '0', second = '0'] = match;
  // Date.parse rolls 2025-02-30 over into March; a calendar date must exist as written.
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  if (date.getUTCMonth() !== Number(month) - 1 || date.getUTCDate() !== Number(day)) {
    return undefined;
  }
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 59) return undefined;
  return validMs(Date.parse(value));
}

/** Epoch ms a database timestamp can hold (years 1970–9999). */
function validMs(ms: number): number | undefined {
  return Number.isFinite(ms) && ms >= 0 && ms < MAX_TIMESTAMP_MS ? ms : undefined;
}

function isDimension(value: unknown): value is UsageDimension {
  return typeof value === 'string' && (USAGE_DIMENSIONS as readonly string[]).includes(value);
}
