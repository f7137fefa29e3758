/**
 * The arithmetic of the rate limiter: one token bucket per scope and dimension, the same
 * in `MemoryRateLimitStore` and in the Lua of `RedisRateLimitStore`.
 *
 * A bucket holds at most one minute's worth (capacity = the per-minute limit) and refills
 * continuously at limit / 60,000 per millisecond. Its whole state is two numbers, the
 * level and when it was last brought up to date; a request takes its cost if the level
 * covers it.
 *
 * Why a token bucket rather than a sliding window:
 * - Burst up to one minute's worth, then a steady rate: a client idle for a minute may
 *   send its whole minute at once (as OpenAI's own limits behave), and after that gets
 *   exactly limit / 60 s. No window edge lets two minutes' worth through in one second,
 *   as fixed windows do.
 * - Exact O(1) refunds and charges: the token cost of a request is only an estimate
 *   (prompt + `max_tokens`) until the answer arrives; giving back the unused part, or
 *   charging what the estimate missed (a debt that delays later requests), is one
 *   addition on one number. A sliding log would have to find and rewrite the request's
 *   entry; a sliding-window counter cannot attribute a refund to the right window.
 * - No per-request log: memory and Redis work per request are constant (one small hash
 *   per bucket), whatever the limit; a sliding log of 10,000 RPM keeps 10,000 entries.
 * - Exact retry-after: the time until the bucket holds the cost follows from the level
 *   and the refill rate, and the time until full is OpenAI's `x-ratelimit-reset-*`.
 *
 * Levels are integers in units of 1/60,000 of a request or token: capacity is
 * `limit × 60,000` and the refill is exactly `limit` units per millisecond, so every
 * step is an integer addition, identical in JavaScript and in Lua (both IEEE doubles),
 * with no rounding drift between instances. Limits are at most 10^10 (`MAX_RATE_LIMIT`),
 * so levels stay below 2^53.
 */

/** Bucket units per request or token: one minute in milliseconds. */
export const UNITS_PER_TOKEN = 60_000;

/** A bucket's key lives this long after the moment it would be full again (then it equals a new one). */
export const BUCKET_IDLE_TTL_MS = 120_000;

/** The lowest a bucket in debt can go: keeps every sum exact (an absurd debt, never reached in use). */
export const DEBT_FLOOR = -(2 ** 52);

/** A bucket as stored: `level` in units (may be negative: debt), `updatedAt` epoch ms. */
export interface BucketLevel {
  level: number;
  updatedAt: number;
}

/** Capacity of a bucket in units. */
export function capacityOf(limit: number): number {
  return limit * UNITS_PER_TOKEN;
}

/**
 * The bucket brought up to `now`: refilled for the time since `updatedAt`, never above
 * capacity (also after the limit was lowered). A `now` behind `updatedAt` (another
 * instance's clock ahead) refills nothing and keeps `updatedAt`, so time never runs twice.
 * A missing bucket is full.
 */
export function refill(bucket: BucketLevel | undefined, limit: number, now: number): BucketLevel {
  const capacity = capacityOf(limit);
  if (!bucket) return { level: capacity, updatedAt: now };
  let { level, updatedAt } = bucket;
  if (now > updatedAt) {
    level += (now - updatedAt) * limit;
    updatedAt = now;
  }
  return { level: Math.min(level, capacity), updatedAt };
}

/** Milliseconds until `level` holds `cost` (0 when it already does). */
export function waitMs(level: number, cost: number, limit: number): number {
  const need = cost * UNITS_PER_TOKEN;
  return level >= need ? 0 : Math.ceil((need - level) / limit);
}

/** Milliseconds until the bucket is full again. */
export function untilFullMs(level: number, limit: number): number {
  return Math.max(0, Math.ceil((capacityOf(limit) - level) / limit));
}

/** Whole requests or tokens left, never below 0. */
export function remainingOf(level: number): number {
  return Math.max(0, Math.floor(level / UNITS_PER_TOKEN));
}

/** The level after a correction: `delta` > 0 charges (down to the debt floor), < 0 gives back (up to capacity). */
export function adjustLevel(level: number, delta: number, limit: number): number {
  const next = level - delta * UNITS_PER_TOKEN;
  return Math.min(capacityOf(limit), Math.max(DEBT_FLOOR, next));
}

/** How long a bucket's key must live: until full plus `BUCKET_IDLE_TTL_MS`. */
export function bucketTtlMs(level: number, limit: number): number {
  return untilFullMs(level, limit) + BUCKET_IDLE_TTL_MS;
}
