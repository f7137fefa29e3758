import type { RedisConnection } from '../redis/redis-connection.service';
import type { RateLimitStoreOptions } from './memory-rate-limit.store';
import type { CheckReading } from './rate-limit-checks';
import {
  ADJUST_RECORD_TTL_MS,
  adjustKeyParts,
  checkKeyParts,
  checksOf,
  decisionOf,
  DEFAULT_LEASE_MS,
  validateAcquire,
  validateAdjust,
  validateRequestId,
  validateScopes,
} from './rate-limit-checks';
import { RATE_LIMIT_ACQUIRE, RATE_LIMIT_ADJUST, RATE_LIMIT_RELEASE } from './rate-limit.lua';
import type {
  RateLimitCost,
  RateLimitScope,
  RateLimitStore,
  RateLimitStoreResult,
} from './rate-limit.types';

/**
 * Rate limits shared by every gateway instance on one Redis: each operation is one Lua
 * script over every scope of the request (see `rate-limit.lua.ts` for the keys), with
 * the rules of `MemoryRateLimitStore`. One round trip per decision, whatever the number
 * of scopes.
 *
 * Redis down or slow: every method rejects fast (`RedisConnection` has no offline queue
 * and a short command timeout); `RateLimiter` applies each scope's failure policy.
 */
export class RedisRateLimitStore implements RateLimitStore {
  readonly shared = true;
  private readonly leaseMs: number;

  constructor(
    private readonly redis: RedisConnection,
    options: RateLimitStoreOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
  }

  async acquire(
    requestId: string,
    scopes: readonly RateLimitScope[],
    cost: RateLimitCost,
    now: number,
  ): Promise<RateLimitStoreResult> {
    validateAcquire(requestId, scopes, cost, now);
    const checks = checksOf(scopes, cost);
    if (checks.length === 0) return { admitted: true, states: [] };
    const keys: string[] = [];
    const args: Array<string | number> = [now, requestId, this.leaseMs];
    for (const check of checks) {
      keys.push(this.redis.key(...checkKeyParts(check.scope, check.dimension)));
      args.push(check.dimension === 'concurrency' ? 'c' : 'b', check.limit, check.cost);
    }
    const reply = rowOf(await this.redis.run(RATE_LIMIT_ACQUIRE, keys, args));
    const readings = checks.map((check, i): CheckReading => {
      const [a, b] = [num(reply[2 * i + 1]), num(reply[2 * i + 2])];
      return check.dimension === 'concurrency'
        ? { kind: 'slots', inUse: a, earliestExpiry: b }
        : { kind: 'bucket', level: a };
    });
    return decisionOf(checks, readings, num(reply[0]) - 1, now);
  }

  async adjust(
    requestId: string,
    scopes: readonly RateLimitScope[],
    tokensDelta: number,
    now: number,
  ): Promise<boolean> {
    validateAdjust(requestId, scopes, tokensDelta, now);
    const keys = [this.redis.key(...adjustKeyParts(requestId))];
    const args: Array<string | number> = [now, tokensDelta, ADJUST_RECORD_TTL_MS];
    for (const scope of scopes) {
      if (scope.tokensPerMinute === undefined) continue;
      keys.push(this.redis.key(...checkKeyParts(scope, 'tokens')));
      args.push(scope.tokensPerMinute);
    }
    return num(await this.redis.run(RATE_LIMIT_ADJUST, keys, args)) === 1;
  }

  async release(requestId: string, scopes: readonly RateLimitScope[]): Promise<number> {
    validateRequestId(requestId);
    validateScopes(scopes);
    const keys = scopes
      .filter((scope) => scope.concurrentRequests !== undefined)
      .map((scope) => this.redis.key(...checkKeyParts(scope, 'concurrency')));
    if (keys.length === 0) return 0;
    return num(await this.redis.run(RATE_LIMIT_RELEASE, keys, [requestId]));
  }
}

function rowOf(reply: unknown): unknown[] {
  if (!Array.isArray(reply)) throw new Error('unexpected rate-limit script reply');
  return reply as unknown[];
}

function num(value: unknown): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new Error('unexpected rate-limit number');
  }
  return value;
}
