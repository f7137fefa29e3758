import type { Provider } from '@nestjs/common';
import { RedisConnection } from '../redis/redis-connection.service';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { RateLimitMetrics } from './rate-limit.metrics';
import type { RateLimitStore } from './rate-limit.types';
import { RATE_LIMIT_STORE } from './rate-limit.types';
import { RateLimiter } from './rate-limiter.service';
import { RedisRateLimitStore } from './redis-rate-limit.store';

/** The limiter store for this configuration: shared in Redis when there is one, else in memory. */
export function createRateLimitStore(redis: RedisConnection): RateLimitStore {
  return redis.enabled ? new RedisRateLimitStore(redis) : new MemoryRateLimitStore();
}

/**
 * Providers of the rate limiter, for `AiGatewayModule` (which already provides
 * `GatewayConfigService`, `RedisConnection`, `GatewayMetrics` and `CLOCK`). The store is
 * chosen once, at module creation; a reload that adds or removes Redis needs a restart
 * (limits themselves apply at once).
 */
export const rateLimitProviders: Provider[] = [
  { provide: RATE_LIMIT_STORE, inject: [RedisConnection], useFactory: createRateLimitStore },
  RateLimitMetrics,
  RateLimiter,
];
