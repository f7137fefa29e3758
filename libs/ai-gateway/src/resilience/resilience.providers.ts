import type { Provider } from '@nestjs/common';
import { GatewayConfigService } from '../config/gateway-config.service';
import { RedisConnection } from '../redis/redis-connection.service';
import { BreakerMetrics } from './breaker.metrics';
import type { BreakerStore } from './breaker.types';
import { BREAKER_STORE } from './breaker.types';
import type { BreakerStoreOptions } from './circuit-state';
import { CircuitBreakerService } from './circuit-breaker.service';
import type { Clock } from '../shared/clock';
import { CLOCK, systemClock } from '../shared/clock';
import { ConnectionShare } from './connection-share';
import { KeySelector } from './key-selector.service';
import { MemoryBreakerStore } from './memory-breaker.store';
import { RedisBreakerStore } from './redis-breaker.store';
import { RetryBudget } from './retry-budget';

/** The breaker store for this configuration: shared in Redis when there is one, else in memory. */
export function createBreakerStore(
  redis: RedisConnection,
  options: BreakerStoreOptions = {},
): BreakerStore {
  return redis.enabled ? new RedisBreakerStore(redis, options) : new MemoryBreakerStore(options);
}

/**
 * Providers of the resilience layer, for `AiGatewayModule` (which already provides
 * `GatewayConfigService`, `RedisConnection` and `GatewayMetrics`). The store is chosen
 * once, at module creation; a reload that adds or removes Redis needs a restart.
 */
export const resilienceProviders: Provider[] = [
  { provide: CLOCK, useValue: systemClock },
  BreakerMetrics,
  {
    provide: BREAKER_STORE,
    inject: [RedisConnection, BreakerMetrics],
    useFactory: (redis: RedisConnection, metrics: BreakerMetrics): BreakerStore =>
      createBreakerStore(redis, { onTransition: (id, to) => metrics.transition(id, to) }),
  },
  CircuitBreakerService,
  KeySelector,
  ConnectionShare,
  {
    provide: RetryBudget,
    inject: [GatewayConfigService, CLOCK],
    useFactory: (config: GatewayConfigService, clock: Clock) =>
      new RetryBudget({
        now: () => clock.now(),
        policyOf: (p) => config.current.providers[p]?.retry,
      }),
  },
];
