import type { Period, RequestFilters, UsageWindow } from '../api/usage';
import { PERIODS, isPeriod, windowOf } from '../api/usage';

/** The history's filters, each an exact match, in the order the form shows them. */
export const FILTER_FIELDS = [
  { name: 'status', label: 'Status' },
  { name: 'provider', label: 'Provider' },
  { name: 'model', label: 'Model' },
  { name: 'route', label: 'Route' },
  { name: 'user', label: 'User' },
  { name: 'team', label: 'Team' },
  { name: 'key', label: 'Key id' },
  { name: 'task', label: 'Task' },
] as const;

export const CACHE_STATUSES = ['hit', 'semantic-hit', 'miss', 'skip'] as const;

export type FilterName = (typeof FILTER_FIELDS)[number]['name'] | 'cache';

/** The history query as the hash carries it: `#/requests?provider=x&period=24h`. */
export interface HistoryQuery {
  filters: RequestFilters & { route?: string; team?: string };
  /** A relative window, or a custom one (`from`/`to`, ISO). */
  period: Period | 'custom';
  from?: string;
  to?: string;
}

export function historyQueryOf(query: URLSearchParams): HistoryQuery {
  const filters: Record<string, string> = {};
  for (const name of [...FILTER_FIELDS.map((f) => f.name), 'cache']) {
    const value = query.get(name)?.trim();
    if (value) filters[name] = value;
  }
  const from = query.get('from') ?? undefined;
  const to = query.get('to') ?? undefined;
  const period = query.get('period');
  if (from && !isPeriod(period)) return { filters, period: 'custom', from, to };
  return { filters, period: isPeriod(period) ? period : '24h' };
}

/** The hash query of a history query (only what is set). */
export function toHashQuery(history: HistoryQuery): Record<string, string> {
  const query: Record<string, string> = {};
  for (const [name, value] of Object.entries(history.filters)) {
    if (typeof value === 'string' && value !== '') query[name] = value;
  }
  if (history.period === 'custom') {
    if (history.from) query.from = history.from;
    if (history.to) query.to = history.to;
  } else {
    query.period = history.period;
  }
  return query;
}

/** The fixed window of a query at the time it is loaded (pages after the first keep it). */
export function historyWindow(history: HistoryQuery, now = Date.now()): UsageWindow {
  if (history.period !== 'custom') return windowOf(history.period, now);
  const from = history.from ? Date.parse(history.from) : NaN;
  const to = history.to ? Date.parse(history.to) : now;
  const toMs = Number.isNaN(to) ? now : to;
  return {
    fromMs: Number.isNaN(from) ? toMs - PERIODS['24h'].ms : from,
    toMs,
  };
}
