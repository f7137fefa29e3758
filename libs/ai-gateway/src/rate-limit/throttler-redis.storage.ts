import type { OnApplicationShutdown } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { ThrottlerStorage } from '@nestjs/throttler';
import type { GatewayConfigService } from '../config/gateway-config.service';
import type { RedisConnection } from '../redis/redis-connection.service';
import type { Clock } from '../shared/clock';
import { systemClock } from '../shared/clock';
import { rateLimitSettingsOf } from './rate-limit-scopes';
import { THROTTLER_INCREMENT } from './throttler.lua';

/** What one hit answers (the package does not export this type from its entry point). */
export type ThrottlerStorageRecord = Awaited<ReturnType<ThrottlerStorage['increment']>>;

/**
 * `@nestjs/throttler`'s storage on the gateway's Redis: its plain per-route limits (the
 * admin and usage APIs) hold across every gateway instance. One Lua script per hit
 * (`throttler.lua.ts`) counts it, times the window and starts or ends a block, atomically.
 *
 * Redis down or slow: fail open, as the request-path limits do by default — the hit is
 * counted by this instance alone, in the throttler's own in-memory storage, at
 * limit ÷ `rateLimits.expectedInstances` (at least 1), so the fleet stays near the
 * limit. Calls fail fast (`RedisConnection` has no offline queue and a short command
 * timeout); one warning per outage, one line when Redis answers again, and nothing else
 * to do: the next hit tries Redis again.
 */
export class ThrottlerRedisStorage implements ThrottlerStorage, OnApplicationShutdown {
  private readonly logger = new Logger(ThrottlerRedisStorage.name);
  /** The fallback while Redis is unreachable. */
  private readonly local = new ThrottlerStorageService();
  private failing = false;

  constructor(
    private readonly redis: RedisConnection,
    private readonly config: GatewayConfigService,
    private readonly clock: Clock = systemClock,
  ) {}

  /**
   * Counts one hit on `key` of `throttlerName`. Times in and out as the throttler has
   * them: `ttl` and `blockDuration` in ms, `timeToExpire` and `timeToBlockExpire` in
   * whole seconds (rounded up; the guard sends the latter as Retry-After).
   */
  async increment(
    key: string,
    ttl: number,
    limit: number,
    blockDuration: number,
    throttlerName: string,
  ): Promise<ThrottlerStorageRecord> {
    validate(ttl, limit, blockDuration);
    let reply: unknown;
    try {
      reply = await this.redis.run(
        THROTTLER_INCREMENT,
        [this.redis.key('throttle', throttlerName, key)],
        [this.clock.now(), ttl, limit, blockDuration],
      );
    } catch (error) {
      this.unreachable(error);
      const instances = rateLimitSettingsOf(this.config.current).expectedInstances;
      const share = Math.max(1, Math.floor(limit / instances));
      return this.local.increment(key, ttl, share, blockDuration, throttlerName);
    }
    this.reachable();
    return recordOf(reply);
  }

  onApplicationShutdown(): void {
    this.local.onApplicationShutdown();
  }

  private reachable(): void {
    if (!this.failing) return;
    this.failing = false;
    this.logger.log({ msg: 'throttler storage reachable again' });
  }

  private unreachable(error: unknown): void {
    if (this.failing) return;
    this.failing = true;
    this.logger.warn({
      msg: 'throttler storage unavailable: admin and usage routes limited per instance',
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

/**
 * The throttler storage for this configuration: in Redis when there is one, else the
 * throttler's own in-memory storage (one gateway instance: nothing to share).
 */
export function createThrottlerStorage(
  redis: RedisConnection,
  config: GatewayConfigService,
  clock: Clock = systemClock,
): ThrottlerStorage {
  return redis.enabled
    ? new ThrottlerRedisStorage(redis, config, clock)
    : new ThrottlerStorageService();
}

function validate(ttl: number, limit: number, blockDuration: number): void {
  const ok =
    Number.isSafeInteger(ttl) &&
    ttl >= 1 &&
    Number.isSafeInteger(limit) &&
    limit >= 0 &&
    Number.isSafeInteger(blockDuration) &&
    blockDuration >= 0;
  if (!ok) {
    throw new Error(
      `throttler arguments must be whole numbers (ttl ≥ 1 ms, limit ≥ 0, blockDuration ≥ 0 ms): ` +
        `${ttl}, ${limit}, ${blockDuration}`,
    );
  }
}

function recordOf(reply: unknown): ThrottlerStorageRecord {
  if (!Array.isArray(reply) || reply.length !== 4 || !reply.every(Number.isSafeInteger)) {
    throw new Error('unexpected throttler script reply');
  }
  const [totalHits, expireMs, blocked, blockMs] = reply as number[];
  return {
    totalHits,
    timeToExpire: Math.ceil(expireMs / 1_000),
    isBlocked: blocked === 1,
    timeToBlockExpire: Math.ceil(blockMs / 1_000),
  };
}
