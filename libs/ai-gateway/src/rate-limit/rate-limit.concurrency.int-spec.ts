import { Logger } from '@nestjs/common';
import type { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { RedisConnection } from '../redis/redis-connection.service';
import { ManualClock } from '../resilience/breaker.fixtures';
import {
  connectTestRedis,
  dropTestKeys,
  redisTestConfig,
} from '../resilience/redis-breaker.fixtures';
import { acquireMany, remainingTokens, T0 } from './rate-limit.fixtures';
import { RateLimitMetrics } from './rate-limit.metrics';
import type { RateLimitScope } from './rate-limit.types';
import { RateLimiter } from './rate-limiter.service';
import type { RateLimitDecision } from './rate-limiter.types';
import { RedisRateLimitStore } from './redis-rate-limit.store';

/** A key of 100 requests a minute. */
const RPM_KEY: RateLimitScope = {
  kind: 'key',
  id: 'k-rpm',
  requestsPerMinute: 100,
  failMode: 'open',
};
/** A key of 10,000 tokens a minute. */
const TPM_KEY: RateLimitScope = {
  kind: 'key',
  id: 'k-tpm',
  tokensPerMinute: 10_000,
  failMode: 'open',
};

describe('rate limits across three gateway instances on one Redis', () => {
  let config: GatewayConfigService;
  let connections: RedisConnection[];
  let stores: RedisRateLimitStore[];

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(async () => {
    // Three connections with one prefix: three instances sharing one Redis.
    config = redisTestConfig();
    connections = await Promise.all([1, 2, 3].map(() => connectTestRedis(config)));
    stores = connections.map((redis) => new RedisRateLimitStore(redis));
  });
  afterEach(async () => {
    await dropTestKeys(connections[0]);
    await Promise.all(connections.map((redis) => redis.onModuleDestroy()));
  });

  /** One `RateLimiter` per instance, all on the same hand-moved clock. */
  function limiters(clock: ManualClock): RateLimiter[] {
    return stores.map(
      (store) => new RateLimiter(config, clock, store, new RateLimitMetrics(new GatewayMetrics())),
    );
  }

  it('300 concurrent requests against 100 RPM: exactly 100 admitted', async () => {
    const admitted = await acquireMany(stores, 'rpm', 300, [RPM_KEY], 0, T0);
    expect(admitted).toHaveLength(100);
  });

  it('300 concurrent requests of 100 tokens against 10,000 TPM: exactly 100 admitted', async () => {
    const admitted = await acquireMany(stores, 'tpm', 300, [TPM_KEY], 100, T0);
    expect(admitted).toHaveLength(100);
    expect(await remainingTokens(stores[1], TPM_KEY, T0)).toBe(0);
  });

  it('through RateLimiter: 100 admitted, 200 refused with Retry-After and headers', async () => {
    const clock = new ManualClock(T0);
    const instances = limiters(clock);
    const decisions: RateLimitDecision[] = await Promise.all(
      Array.from({ length: 300 }, (_, i) => instances[i % 3].acquire(`r${i}`, [RPM_KEY], 0)),
    );
    const refused = decisions.filter((d) => !d.admitted && !d.unavailable);
    expect(decisions.filter((d) => d.admitted)).toHaveLength(100);
    expect(refused).toHaveLength(200);
    for (const decision of refused) {
      expect(decision).toMatchObject({
        retryAfterMs: 600,
        headers: {
          'x-ratelimit-limit-requests': '100',
          'x-ratelimit-remaining-requests': '0',
          'x-ratelimit-reset-requests': '1m0s',
        },
      });
    }
  });

  it('a 4,000-token reservation settled at 50 leaves the bucket 50 lower, on every instance', async () => {
    const clock = new ManualClock(T0);
    const [a, b, c] = limiters(clock);
    const held = await a.acquire('r1', [TPM_KEY], 4_000);
    if (!held.admitted) throw new Error('refused');
    expect(held.headers['x-ratelimit-remaining-tokens']).toBe('6000');
    await a.settle(held.ticket, 50);
    expect(await remainingTokens(stores[1], TPM_KEY, T0)).toBe(9_950);
    const rest = await b.acquire('r2', [TPM_KEY], 9_950);
    expect(rest.admitted && rest.headers['x-ratelimit-remaining-tokens']).toBe('0');
    expect(await c.acquire('r3', [TPM_KEY], 1)).toMatchObject({ admitted: false, retryAfterMs: 6 });
  });
});
