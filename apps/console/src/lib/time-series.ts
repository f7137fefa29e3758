import type { UsageGroup } from '../api/types';

/** A time series on a full grid of buckets: uPlot's x values (seconds) and each bucket's group. */
export interface BucketGrid {
  /** Bucket starts, epoch seconds, ascending. */
  times: number[];
  /** The bucket's usage; undefined where the gateway had no row (an empty bucket). */
  buckets: Array<UsageGroup | undefined>;
}

/**
 * Lays the gateway's buckets (`key`: ISO start, epoch-aligned, empty ones omitted) on the
 * full grid of the window, so empty buckets show as zero instead of being skipped over.
 */
export function toGrid(
  groups: readonly UsageGroup[],
  fromMs: number,
  toMs: number,
  intervalMs: number,
): BucketGrid {
  const first = Math.floor(fromMs / intervalMs) * intervalMs;
  const count = Math.max(1, Math.ceil((toMs - first) / intervalMs));
  const times: number[] = [];
  // Filled, not sparse: map() would skip the holes and leave them undefined.
  const buckets = new Array<UsageGroup | undefined>(count).fill(undefined);
  for (let i = 0; i < count; i++) times.push((first + i * intervalMs) / 1_000);
  for (const group of groups) {
    const start = group.key ? Date.parse(group.key) : NaN;
    if (Number.isNaN(start)) continue;
    const index = Math.floor((start - first) / intervalMs);
    if (index >= 0 && index < count) buckets[index] = group;
  }
  return { times, buckets };
}

/**
 * One column of the grid: `pick` of each bucket; empty buckets are `empty` — zero for
 * counts and money, null (a gap in the line) for latencies, which have no value there.
 */
export function column(
  grid: BucketGrid,
  pick: (group: UsageGroup) => number | null | undefined,
  empty: number | null = 0,
): Array<number | null> {
  return grid.buckets.map((group) => {
    if (!group) return empty;
    const value = pick(group);
    return value === undefined || value === null || !Number.isFinite(value) ? null : value;
  });
}

/** Failed requests of a bucket, from its error rate (rounded: the rate has four decimals). */
export const errorsOf = (group: UsageGroup): number => Math.round(group.requests * group.errorRate);

/** Sum of a column, nulls as zero. */
export const sum = (values: ReadonlyArray<number | null>): number =>
  values.reduce<number>((total, value) => total + (value ?? 0), 0);
