import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import { RedisConnection } from '../redis/redis-connection.service';
import { ManualClock } from '../resilience/breaker.fixtures';
import {
  connectTestRedis,
  dropTestKeys,
  TEST_REDIS_URL,
} from '../resilience/redis-breaker.fixtures';
import { counterValue } from '../usage/usage-writer.fixtures';
import { T0 } from './rate-limit.fixtures';
import { RateLimitMetrics } from './rate-limit.metrics';
import type { RateLimitScope } from './rate-limit.types';
import { RateLimiter, STORE_BACKOFF_MS } from './rate-limiter.service';
import type { RateLimitDecision } from './rate-limiter.types';
import { RedisRateLimitStore } from './redis-rate-limit.store';
import { StallingProxy } from './stalling-proxy.fixtures';

const COMMAND_TIMEOUT_MS = 200;
/**
 * Upper bound of one decision: the command timeout plus 50 ms, plus slack for a loaded
 * 2-core machine (timers fire late there). Only ever an upper bound.
 */
const DECISION_BOUND_MS = COMMAND_TIMEOUT_MS + 50 + 150;

const OPEN: RateLimitScope = { kind: 'key', id: 'k-open', requestsPerMinute: 90, failMode: 'open' };
const CLOSED: RateLimitScope = {
  kind: 'team',
  id: 't-closed',
  requestsPerMinute: 90,
  failMode: 'closed',
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe(`${RateLimiter.name} while Redis fails`, () => {
  let proxy: StallingProxy;
  let keyPrefix: string;
  let cleanup: Array<() => Promise<void>>;
  let clock: ManualClock;
  let metrics: GatewayMetrics;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(async () => {
    proxy = new StallingProxy(6379);
    await proxy.start();
    keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
    cleanup = [];
    clock = new ManualClock(T0);
    metrics = new GatewayMetrics();
  });
  afterEach(async () => {
    proxy.resume();
    for (const step of cleanup.reverse()) await step();
    await proxy.stop();
    // Through a direct connection: the proxied one may be down.
    const direct = await connectTestRedis(configFor(TEST_REDIS_URL));
    await dropTestKeys(direct);
    await direct.onModuleDestroy();
  });

  function configFor(url: string): GatewayConfigService {
    return new GatewayConfigService(
      loadGatewayConfig({
        config: {
          redis: { url, keyPrefix, commandTimeoutMs: COMMAND_TIMEOUT_MS },
          rateLimits: { expectedInstances: 3 },
        },
        env: {},
      }),
    );
  }

  async function limiterOn(url: string): Promise<{ limiter: RateLimiter; redis: RedisConnection }> {
    const config = configFor(url);
    const redis = new RedisConnection(config);
    cleanup.push(() => redis.onModuleDestroy());
    if (url !== DEAD_URL) await waitReady(redis);
    // The first limiter counts into `metrics`; any other into a registry of its own.
    const registry = cleanup.length === 1 ? metrics : new GatewayMetrics();
    const limiter = new RateLimiter(
      config,
      clock,
      new RedisRateLimitStore(redis),
      new RateLimitMetrics(registry),
    );
    return { limiter, redis };
  }

  /** Times each decision; returns them with the slowest time. */
  async function timed(
    count: number,
    decide: (i: number) => Promise<RateLimitDecision>,
  ): Promise<{ decisions: RateLimitDecision[]; slowestMs: number }> {
    const decisions: RateLimitDecision[] = [];
    let slowestMs = 0;
    for (let i = 0; i < count; i++) {
      const started = performance.now();
      decisions.push(await decide(i));
      slowestMs = Math.max(slowestMs, performance.now() - started);
    }
    return { decisions, slowestMs };
  }

  it('Redis stopped: open scopes limited locally at limit ÷ 3, at once; Redis again after', async () => {
    const { limiter, redis } = await limiterOn(proxy.url());
    for (let i = 0; i < 10; i++) {
      expect(await limiter.acquire(`before${i}`, [OPEN], 0)).toMatchObject({
        ticket: { source: 'store' },
      });
    }
    await proxy.stop();

    const { decisions, slowestMs } = await timed(40, (i) => limiter.acquire(`down${i}`, [OPEN], 0));
    expect(slowestMs).toBeLessThan(DECISION_BOUND_MS);
    expect(decisions.filter((d) => d.admitted)).toHaveLength(30); // 90 RPM ÷ 3 instances
    expect(decisions.every((d) => !d.unavailable)).toBe(true);
    expect(decisions[0]).toMatchObject({ ticket: { source: 'fallback' } });
    const closed = await timed(5, (i) => limiter.acquire(`closed${i}`, [CLOSED], 0));
    expect(closed.decisions.every((d) => d.unavailable)).toBe(true);
    expect(closed.slowestMs).toBeLessThan(DECISION_BOUND_MS);

    await proxy.start();
    await waitReady(redis);
    clock.advance(STORE_BACKOFF_MS);
    // Back on Redis, where the 10 requests from before the outage still count: 90 - 10,
    // plus 1.5 refilled in the second that passed, minus this one.
    expect(await limiter.acquire('after', [OPEN], 0)).toMatchObject({
      ticket: { source: 'store' },
      headers: { 'x-ratelimit-remaining-requests': '80' },
    });
    expect(await counterValue(metrics, 'gateway_ratelimit_redis_errors_total')).toBeGreaterThan(0);
  });

  it('Redis hung: a decision waits at most the command timeout, then the policy decides', async () => {
    const { limiter: open } = await limiterOn(proxy.url());
    const { limiter: closed } = await limiterOn(proxy.url());
    proxy.stall();

    const first = await timed(5, (i) => open.acquire(`open${i}`, [OPEN], 0));
    expect(first.slowestMs).toBeLessThan(DECISION_BOUND_MS);
    expect(first.decisions.every((d) => d.admitted)).toBe(true);
    expect(first.decisions[0]).toMatchObject({ ticket: { source: 'fallback' } });
    const refused = await timed(3, (i) => closed.acquire(`closed${i}`, [CLOSED], 0));
    expect(refused.slowestMs).toBeLessThan(DECISION_BOUND_MS);
    expect(refused.decisions.every((d) => d.unavailable)).toBe(true);

    proxy.resume();
    clock.advance(STORE_BACKOFF_MS);
    expect(await open.acquire('back', [OPEN], 0)).toMatchObject({ ticket: { source: 'store' } });
    expect(await closed.acquire('back', [CLOSED], 0)).toMatchObject({
      ticket: { source: 'store' },
    });
  });

  it('Redis on a closed port: both policies answer at once', async () => {
    const { limiter } = await limiterOn(DEAD_URL);
    const open = await timed(20, (i) => limiter.acquire(`o${i}`, [OPEN], 0));
    const closed = await timed(20, (i) => limiter.acquire(`c${i}`, [CLOSED], 0));
    expect(open.decisions.every((d) => d.admitted)).toBe(true);
    expect(closed.decisions.every((d) => d.unavailable)).toBe(true);
    expect(Math.max(open.slowestMs, closed.slowestMs)).toBeLessThan(DECISION_BOUND_MS);
  });

  it('a run with Redis stopped in the middle: never an error, limits resume from Redis', async () => {
    const { limiter, redis } = await limiterOn(proxy.url());
    const wide: RateLimitScope = { ...OPEN, requestsPerMinute: 600, concurrentRequests: 50 };
    // A wave of concurrent requests; the admitted ones finish after the wave.
    const run = async (phase: string, count: number): Promise<RateLimitDecision[]> => {
      const decisions = await Promise.all(
        Array.from({ length: count }, (_, i) => limiter.acquire(`${phase}${i}`, [wide], 10)),
      );
      for (const decision of decisions) {
        if (!decision.admitted) continue;
        await limiter.settle(decision.ticket, 5);
        await limiter.release(decision.ticket);
      }
      return decisions;
    };
    const before = await run('a', 200);
    await proxy.stop();
    const during = await run('b', 300);
    await proxy.start();
    await waitReady(redis);
    clock.advance(STORE_BACKOFF_MS);
    const after = await run('c', 500);

    expect(before.filter((d) => d.admitted)).toHaveLength(50); // 50 in flight at once
    // Local share: 200 RPM and 16 in flight at once (600 and 50 ÷ 3).
    expect(during.filter((d) => d.admitted)).toHaveLength(16);
    expect([...before, ...during, ...after].every((d) => !d.unavailable)).toBe(true);
    // Redis again, its slots of the first wave released: 50 in flight at once.
    expect(after.filter((d) => d.admitted)).toHaveLength(50);
    expect(after.find((d) => d.admitted)).toMatchObject({ ticket: { source: 'store' } });
  });
});

/** Nothing listens on port 1: connections are refused at once. */
const DEAD_URL = 'redis://127.0.0.1:1';

async function waitReady(redis: RedisConnection): Promise<void> {
  for (let waited = 0; !redis.ready; waited += 20) {
    if (waited > 10_000) throw new Error('Redis not ready after 10 s');
    await sleep(20);
  }
}
