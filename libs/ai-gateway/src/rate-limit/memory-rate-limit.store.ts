import type { CheckReading, RateLimitCheck } from './rate-limit-checks';
import {
  ADJUST_RECORD_TTL_MS,
  checkKeyParts,
  checksOf,
  decisionOf,
  DEFAULT_LEASE_MS,
  validateAcquire,
  validateAdjust,
  validateScopes,
  validateRequestId,
} from './rate-limit-checks';
import type {
  RateLimitCost,
  RateLimitScope,
  RateLimitStore,
  RateLimitStoreResult,
} from './rate-limit.types';
import type { BucketLevel } from './token-bucket';
import { adjustLevel, bucketTtlMs, refill, UNITS_PER_TOKEN } from './token-bucket';

type SlotsReading = Extract<CheckReading, { kind: 'slots' }>;

/** A bucket and when it may be forgotten (it is full by then: as good as missing). */
interface StoredBucket extends BucketLevel {
  dropAt: number;
}

/** How often (in `now` time) forgotten buckets, empty sets and adjust records are swept. */
const SWEEP_MS = 60_000;

/** Options of both stores. */
export interface RateLimitStoreOptions {
  /** A concurrency slot not released stops counting after this; default 10 minutes. */
  leaseMs?: number;
}

/**
 * Rate limits of one gateway instance, in Maps: the embedded default when no Redis is
 * configured, and the local fallback limiter while Redis is unreachable. Every operation
 * runs to completion before the next (one event loop), which makes it exact under
 * concurrency; `RedisRateLimitStore` gets the same from Lua and follows these steps.
 * Both run `rate-limit-store.scenarios.ts`.
 */
export class MemoryRateLimitStore implements RateLimitStore {
  readonly shared = false;
  private readonly leaseMs: number;
  private readonly buckets = new Map<string, StoredBucket>();
  /** Per concurrency key: request id → lease expiry. */
  private readonly slots = new Map<string, Map<string, number>>();
  /** Adjusted request ids → when the record is forgotten. */
  private readonly adjusted = new Map<string, number>();
  private nextSweep = 0;

  constructor(options: RateLimitStoreOptions = {}) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  acquire(
    requestId: string,
    scopes: readonly RateLimitScope[],
    cost: RateLimitCost,
    now: number,
  ): Promise<RateLimitStoreResult> {
    return new Promise((resolve) => resolve(this.acquireNow(requestId, scopes, cost, now)));
  }

  adjust(
    requestId: string,
    scopes: readonly RateLimitScope[],
    tokensDelta: number,
    now: number,
  ): Promise<boolean> {
    return new Promise((resolve) => resolve(this.adjustNow(requestId, scopes, tokensDelta, now)));
  }

  release(requestId: string, scopes: readonly RateLimitScope[]): Promise<number> {
    return new Promise((resolve) => {
      validateRequestId(requestId);
      validateScopes(scopes);
      let freed = 0;
      for (const scope of scopes) {
        if (scope.concurrentRequests === undefined) continue;
        if (this.slots.get(keyOf(scope, 'concurrency'))?.delete(requestId)) freed++;
      }
      resolve(freed);
    });
  }

  private acquireNow(
    requestId: string,
    scopes: readonly RateLimitScope[],
    cost: RateLimitCost,
    now: number,
  ): RateLimitStoreResult {
    validateAcquire(requestId, scopes, cost, now);
    this.sweep(now);
    const checks = checksOf(scopes, cost);
    const keys = checks.map((check) => keyOf(check.scope, check.dimension));
    const readings: CheckReading[] = [];
    const levels: BucketLevel[] = [];
    let refused = -1;
    for (const [i, check] of checks.entries()) {
      if (check.dimension === 'concurrency') {
        const reading = this.readSlots(keys[i], check, now);
        readings.push(reading);
        if (refused < 0 && reading.inUse >= check.limit) refused = i;
        continue;
      }
      const bucket = refill(this.liveBucket(keys[i], now), check.limit, now);
      levels[i] = bucket;
      readings.push({ kind: 'bucket', level: bucket.level });
      if (refused < 0 && bucket.level < check.cost * UNITS_PER_TOKEN) refused = i;
    }
    if (refused >= 0) return decisionOf(checks, readings, refused, now);

    for (const [i, check] of checks.entries()) {
      if (check.dimension === 'concurrency') {
        let held = this.slots.get(keys[i]);
        if (!held) {
          held = new Map();
          this.slots.set(keys[i], held);
        }
        held.set(requestId, now + this.leaseMs);
        readings[i] = { kind: 'slots', inUse: held.size, earliestExpiry: 0 };
        continue;
      }
      const level = levels[i].level - check.cost * UNITS_PER_TOKEN;
      this.storeBucket(keys[i], check.limit, level, levels[i].updatedAt, now);
      readings[i] = { kind: 'bucket', level };
    }
    return decisionOf(checks, readings, -1, now);
  }

  private adjustNow(
    requestId: string,
    scopes: readonly RateLimitScope[],
    tokensDelta: number,
    now: number,
  ): boolean {
    validateAdjust(requestId, scopes, tokensDelta, now);
    this.sweep(now);
    const until = this.adjusted.get(requestId);
    if (until !== undefined && until > now) return false;
    this.adjusted.delete(requestId);
    this.adjusted.set(requestId, now + ADJUST_RECORD_TTL_MS);
    for (const scope of scopes) {
      const limit = scope.tokensPerMinute;
      if (limit === undefined) continue;
      const key = keyOf(scope, 'tokens');
      const bucket = refill(this.liveBucket(key, now), limit, now);
      const level = adjustLevel(bucket.level, tokensDelta, limit);
      this.storeBucket(key, limit, level, bucket.updatedAt, now);
    }
    return true;
  }

  /** Purges expired leases (as ZREMRANGEBYSCORE does) and reads the set. */
  private readSlots(key: string, check: RateLimitCheck, now: number): SlotsReading {
    const held = this.slots.get(key);
    if (!held) return { kind: 'slots', inUse: 0, earliestExpiry: 0 };
    let earliest = Infinity;
    for (const [id, expiresAt] of held) {
      if (expiresAt <= now) held.delete(id);
      else earliest = Math.min(earliest, expiresAt);
    }
    const full = held.size >= check.limit;
    return { kind: 'slots', inUse: held.size, earliestExpiry: full ? earliest : 0 };
  }

  /** A bucket whose key has not expired at `now` (expiry is logical, as in Redis). */
  private liveBucket(key: string, now: number): BucketLevel | undefined {
    const bucket = this.buckets.get(key);
    return bucket && bucket.dropAt > now ? bucket : undefined;
  }

  private storeBucket(
    key: string,
    limit: number,
    level: number,
    updatedAt: number,
    now: number,
  ): void {
    this.buckets.set(key, { level, updatedAt, dropAt: now + bucketTtlMs(level, limit) });
  }

  /** Forgets expired buckets, leases and adjust records, at most once a minute of `now`. */
  private sweep(now: number): void {
    if (now < this.nextSweep) return;
    this.nextSweep = now + SWEEP_MS;
    for (const [key, bucket] of this.buckets) {
      if (bucket.dropAt <= now) this.buckets.delete(key);
    }
    for (const [key, held] of this.slots) {
      for (const [id, expiresAt] of held) if (expiresAt <= now) held.delete(id);
      if (held.size === 0) this.slots.delete(key);
    }
    for (const [id, until] of this.adjusted) {
      if (until <= now) this.adjusted.delete(id);
    }
  }
}

function keyOf(scope: RateLimitScope, dimension: RateLimitCheck['dimension']): string {
  return checkKeyParts(scope, dimension).join(':');
}
