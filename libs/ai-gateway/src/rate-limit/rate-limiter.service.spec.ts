import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import { RedisConnection } from '../redis/redis-connection.service';
import { ManualClock } from '../resilience/breaker.fixtures';
import { CLOCK } from '../shared/clock';
import { counterValue } from '../usage/usage-writer.fixtures';
import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { KEY_RPM, T0, TEAM_CONCURRENCY, USER_TPM } from './rate-limit.fixtures';
import { RateLimitMetrics } from './rate-limit.metrics';
import { rateLimitProviders } from './rate-limit.providers';
import type { RateLimitScope, RateLimitStore } from './rate-limit.types';
import { RATE_LIMIT_STORE } from './rate-limit.types';
import { rateLimitTestConfig, unreachableStore } from './rate-limiter.fixtures';
import { RateLimiter, STORE_BACKOFF_MS } from './rate-limiter.service';
import type { RateLimitDecision } from './rate-limiter.types';

const OPEN_KEY: RateLimitScope = { ...KEY_RPM, requestsPerMinute: 90 };

function admittedCount(decisions: RateLimitDecision[]): number {
  return decisions.filter((d) => d.admitted).length;
}

describe(RateLimiter.name, () => {
  let clock: ManualClock;
  let metrics: GatewayMetrics;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    clock = new ManualClock(T0);
    metrics = new GatewayMetrics();
  });

  function build(
    store: RateLimitStore = new MemoryRateLimitStore(),
    rateLimits: Record<string, unknown> = {},
    config: GatewayConfigService = rateLimitTestConfig(rateLimits),
  ): RateLimiter {
    return new RateLimiter(config, clock, store, new RateLimitMetrics(metrics));
  }

  it('admits with OpenAI headers, gives unused tokens back on settle, frees slots on release', async () => {
    const limiter = build();
    const scopes = [USER_TPM, KEY_RPM, TEAM_CONCURRENCY];
    const first = await limiter.acquire('r1', scopes, 4_000);
    if (!first.admitted) throw new Error('refused');
    expect(first.headers).toEqual({
      'x-ratelimit-limit-requests': '100',
      'x-ratelimit-remaining-requests': '99',
      'x-ratelimit-reset-requests': '600ms',
      'x-ratelimit-limit-tokens': '10000',
      'x-ratelimit-remaining-tokens': '6000',
      'x-ratelimit-reset-tokens': '24s',
    });
    expect(first.ticket).toMatchObject({ requestId: 'r1', reservedTokens: 4_000, source: 'store' });

    await limiter.settle(first.ticket, 50);
    await limiter.settle(first.ticket, 50); // once per ticket
    await limiter.release(first.ticket);
    await limiter.release(first.ticket);
    const second = await limiter.acquire('r2', scopes, 0);
    expect(second.admitted && second.headers['x-ratelimit-remaining-tokens']).toBe('9950');
    const third = await limiter.acquire('r3', scopes, 0);
    expect(third.admitted).toBe(true); // r1's slot was freed: r2 and r3 fit in 2
  });

  it('refuses with the scope, an exact Retry-After and a message; counts per scope kind', async () => {
    const limiter = build();
    const tight: RateLimitScope = { ...KEY_RPM, requestsPerMinute: 1 };
    expect((await limiter.acquire('a', [USER_TPM, tight], 10)).admitted).toBe(true);
    clock.advance(1_500);
    const refused = await limiter.acquire('b', [USER_TPM, tight], 10);
    expect(refused).toMatchObject({
      admitted: false,
      unavailable: false,
      scope: tight,
      dimension: 'requests',
      retryAfterMs: 58_500,
      tooLarge: false,
      message: 'Rate limit reached for key "key-1": 1 requests per minute. Try again in 58.5s.',
      headers: { 'x-ratelimit-remaining-requests': '0', 'x-ratelimit-reset-requests': '58.5s' },
    });
    const tooLarge = await limiter.acquire('c', [USER_TPM], 20_000);
    expect(tooLarge).toMatchObject({ tooLarge: true, dimension: 'tokens' });
    expect(!tooLarge.admitted && !tooLarge.unavailable && tooLarge.message).toContain(
      'Request too large for user "alice"',
    );
    const read = (name: string, scope: string) => counterValue(metrics, name, { scope });
    expect(await read('gateway_ratelimit_admitted_total', 'user')).toBe(1);
    expect(await read('gateway_ratelimit_admitted_total', 'key')).toBe(1);
    expect(await read('gateway_ratelimit_limited_total', 'key')).toBe(1);
    expect(await read('gateway_ratelimit_limited_total', 'user')).toBe(1);
  });

  it('makes no store call when no scope applies, and its ticket is a no-op', async () => {
    const store = unreachableStore();
    const limiter = build(store);
    const decision = await limiter.acquire('r1', [], 1_000);
    expect(decision).toMatchObject({ admitted: true, headers: {}, ticket: { source: 'none' } });
    if (decision.admitted) {
      await limiter.settle(decision.ticket, 10);
      await limiter.release(decision.ticket);
    }
    expect(store.calls).toEqual([]);
  });

  it('gives every acquire its own id, even when callers repeat a request id', async () => {
    const limiter = build();
    const a = await limiter.acquire('same', [TEAM_CONCURRENCY], 0);
    const b = await limiter.acquire('same', [TEAM_CONCURRENCY], 0);
    const c = await limiter.acquire('same', [TEAM_CONCURRENCY], 0);
    expect([a.admitted, b.admitted, c.admitted]).toEqual([true, true, false]);
    if (a.admitted && b.admitted) expect(a.ticket.id).not.toBe(b.ticket.id);
  });

  it('Redis down, fail open: the local limiter decides at limit ÷ expected instances', async () => {
    const store = unreachableStore();
    const limiter = build(store, { expectedInstances: 3 });
    const decisions: RateLimitDecision[] = [];
    for (let i = 0; i < 40; i++) decisions.push(await limiter.acquire(`r${i}`, [OPEN_KEY], 0));
    expect(admittedCount(decisions)).toBe(30); // 90 RPM ÷ 3 instances
    expect(decisions[0]).toMatchObject({
      ticket: { source: 'fallback', scopes: [{ requestsPerMinute: 30 }] },
      headers: { 'x-ratelimit-limit-requests': '30' },
    });
    expect(decisions[39]).toMatchObject({
      admitted: false,
      source: 'fallback',
      retryAfterMs: 2_000,
    });
    // One store call, then a back-off: a dead Redis is not asked once per request.
    expect(store.calls).toEqual(['acquire']);
    expect(await counterValue(metrics, 'gateway_ratelimit_redis_errors_total')).toBe(1);
  });

  it('Redis down, fail closed: unavailable with a retry hint, without calling it again', async () => {
    const store = unreachableStore();
    const limiter = build(store);
    const scopes = [{ ...USER_TPM, failMode: 'closed' as const }, KEY_RPM];
    expect(await limiter.acquire('r1', scopes, 100)).toEqual({
      admitted: false,
      unavailable: true,
      retryAfterMs: STORE_BACKOFF_MS,
      message: 'Rate limits cannot be checked right now; retry shortly.',
    });
    expect((await limiter.acquire('r2', scopes, 100)).unavailable).toBe(true);
    expect(store.calls).toEqual(['acquire']);
  });

  it('tries the store again after the back-off and uses it once it answers', async () => {
    const healthy = new MemoryRateLimitStore();
    const flaky = unreachableStore();
    let down = true;
    const store: RateLimitStore = {
      shared: true,
      acquire: (...args) => (down ? flaky.acquire(...args) : healthy.acquire(...args)),
      adjust: (...args) => (down ? flaky.adjust(...args) : healthy.adjust(...args)),
      release: (...args) => (down ? flaky.release(...args) : healthy.release(...args)),
    };
    const limiter = build(store);
    expect(await limiter.acquire('r1', [KEY_RPM], 0)).toMatchObject({
      ticket: { source: 'fallback' },
    });
    down = false;
    clock.advance(STORE_BACKOFF_MS - 1);
    expect(await limiter.acquire('r2', [KEY_RPM], 0)).toMatchObject({
      ticket: { source: 'fallback' },
    });
    clock.advance(1);
    expect(await limiter.acquire('r3', [KEY_RPM], 0)).toMatchObject({
      ticket: { source: 'store' },
    });
    expect(flaky.calls).toEqual(['acquire']);
  });

  it('settle and release never throw when the store fails; fallback tickets settle locally', async () => {
    const store = unreachableStore();
    const limiter = build(store);
    const slots = { ...TEAM_CONCURRENCY, failMode: 'open' as const };
    const held = await limiter.acquire('r1', [USER_TPM, slots], 4_000);
    if (!held.admitted) throw new Error('refused');
    expect(held.ticket.source).toBe('fallback');
    // The lost acquire's possible slot was released at once (best effort).
    expect(store.calls).toEqual(['acquire', 'release']);
    await expect(limiter.settle(held.ticket, 50)).resolves.toBeUndefined();
    await expect(limiter.release(held.ticket)).resolves.toBeUndefined();
    expect(store.calls).toHaveLength(2); // the fallback's ticket never touches the store
    const next = await limiter.acquire('r2', [USER_TPM], 0);
    expect(next.admitted && next.headers['x-ratelimit-remaining-tokens']).toBe('9950');

    metrics = new GatewayMetrics(); // a second limiter: a registry of its own
    const failing = build(unreachableStore());
    const ticket = {
      id: 'x',
      requestId: 'x',
      scopes: [USER_TPM, TEAM_CONCURRENCY],
      reservedTokens: 100,
      source: 'store' as const,
    };
    await expect(failing.settle(ticket, 10)).resolves.toBeUndefined();
    await expect(failing.release(ticket)).resolves.toBeUndefined();
  });

  it('never throws on arguments the store refuses: admits unlimited, or refuses if closed', async () => {
    const limiter = build();
    const broken = { ...KEY_RPM, requestsPerMinute: -1 };
    expect(await limiter.acquire('r1', [broken], 0)).toMatchObject({
      admitted: true,
      ticket: { source: 'none' },
    });
    expect(await limiter.acquire('r2', [{ ...broken, failMode: 'closed' }], 0)).toMatchObject({
      unavailable: true,
    });
    // Odd token figures are made whole instead.
    expect(await limiter.acquire('r3', [USER_TPM], Number.NaN)).toMatchObject({ admitted: true });
    expect(await limiter.acquire('r4', [USER_TPM], 99.2)).toMatchObject({
      ticket: { reservedTokens: 100 },
    });
  });

  it('reads the scopes from the current config, so a reload applies to the next request', () => {
    const config = rateLimitTestConfig({ defaultUser: { requestsPerMinute: 10 } });
    const limiter = build(new MemoryRateLimitStore(), {}, config);
    expect(limiter.scopesFor({ userId: 'u', model: 'm' })).toEqual([
      { kind: 'user', id: 'u', requestsPerMinute: 10, failMode: 'open' },
    ]);
    config.replace(rateLimitTestConfig({ defaultUser: { requestsPerMinute: 20 } }).current);
    expect(limiter.scopesFor({ userId: 'u', model: 'm' })[0].requestsPerMinute).toBe(20);
  });

  it('is provided with a memory store when no Redis is configured', async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [
        { provide: GatewayConfigService, useValue: rateLimitTestConfig() },
        { provide: CLOCK, useValue: clock },
        GatewayMetrics,
        RedisConnection,
        ...rateLimitProviders,
      ],
    }).compile();
    expect(moduleRef.get(RATE_LIMIT_STORE)).toBeInstanceOf(MemoryRateLimitStore);
    const decision = await moduleRef.get(RateLimiter).acquire('r1', [KEY_RPM], 0);
    expect(decision.admitted).toBe(true);
    await moduleRef.close();
  });
});
