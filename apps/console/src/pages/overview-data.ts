import type { ApiClient } from '../api/client';
import type { UsageGroup } from '../api/types';
import type { Dimension, Period, UsageWindow } from '../api/usage';
import { PERIODS, usageBreakdown, usageSeries, usageTotals, windowOf } from '../api/usage';

/** Groups of the breakdown drawn as their own lines. */
export const SPLIT_TOP = 5;

export interface OverviewData {
  dimension: Dimension;
  window: UsageWindow;
  intervalMs: number;
  /** Equal to `GET /v1/usage/summary` over the same window. */
  totals: UsageGroup;
  /** Undefined: this gateway has no time series (`groupBy=time`). */
  series: UsageGroup[] | undefined;
  breakdown: UsageGroup[];
  /** The time series of the breakdown's top groups (`groupBy=time&<dimension>=<key>`). */
  split: Array<{ key: string; series: UsageGroup[] }>;
}

/** Everything the overview shows, over one fixed window (see `UsageWindow`). */
export async function loadOverview(
  api: ApiClient,
  period: Period,
  dimension: Dimension,
  signal: AbortSignal,
): Promise<OverviewData> {
  const window = windowOf(period);
  const { interval, intervalMs } = PERIODS[period];
  const [totals, series, breakdown] = await Promise.all([
    usageTotals(api, window, {}, { signal }),
    usageSeries(api, window, interval, {}, { signal }),
    usageBreakdown(api, window, dimension, { signal }),
  ]);
  const top = series
    ? breakdown.filter((g): g is UsageGroup & { key: string } => g.key !== null).slice(0, SPLIT_TOP)
    : [];
  const split = await Promise.all(
    top.map(async (group) => ({
      key: group.key,
      series:
        (await usageSeries(api, window, interval, { [dimension]: group.key }, { signal })) ?? [],
    })),
  );
  return { dimension, window, intervalMs, totals, series, breakdown, split };
}
