import { Logger } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import { RedisConnection } from '../redis/redis-connection.service';
import { ManualClock } from '../resilience/breaker.fixtures';
import {
  connectTestRedis,
  dropTestKeys,
  pttl,
  redisTestConfig,
} from '../resilience/redis-breaker.fixtures';
import { T0 } from './rate-limit.fixtures';
import { rateLimitTestConfig } from './rate-limiter.fixtures';
import { StallingProxy } from './stalling-proxy.fixtures';
import type { ThrottlerStorageRecord } from './throttler-redis.storage';
import { createThrottlerStorage, ThrottlerRedisStorage } from './throttler-redis.storage';
import { THROTTLER_RECORD_GRACE_MS } from './throttler.lua';

const MINUTE = 60_000;
const KEY = 'a1b2c3';
const NAME = 'admin';

/**
 * `[totalHits, isBlocked, timeToExpire, timeToBlockExpire]`: one line per hit. The last is
 * read only when blocked (the in-memory storage answers an unblocked hit with -now / 1000).
 */
const row = (r: ThrottlerStorageRecord) =>
  [r.totalHits, r.isBlocked, r.timeToExpire, r.isBlocked ? r.timeToBlockExpire : 0] as const;

describe(ThrottlerRedisStorage.name, () => {
  let redis: RedisConnection;
  let clock: ManualClock;
  let storage: ThrottlerRedisStorage;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(async () => {
    redis = await connectTestRedis();
    clock = new ManualClock(T0);
    storage = new ThrottlerRedisStorage(redis, rateLimitTestConfig(), clock);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await dropTestKeys(redis);
    await redis.onModuleDestroy();
  });

  const hit = (limit = 3, block = MINUTE, key = KEY, name = NAME) =>
    storage.increment(key, MINUTE, limit, block, name);

  it('counts hits in a window and blocks the one over the limit for blockDuration', async () => {
    expect(row(await hit())).toEqual([1, false, 60, 0]);
    clock.advance(10_000);
    expect(row(await hit())).toEqual([2, false, 50, 0]);
    expect(row(await hit())).toEqual([3, false, 50, 0]);
    clock.advance(500);
    // The fourth is counted and starts a minute's block (Retry-After 60).
    expect(row(await hit())).toEqual([4, true, 50, 60]);
    clock.advance(20_000);
    // Refused during the block and not counted; the block runs out as the clock moves.
    expect(row(await hit())).toEqual([4, true, 30, 40]);
    expect(row(await hit())).toEqual([4, true, 30, 40]);
  });

  it('opens a fresh window after a block ends, and after a window ends', async () => {
    for (let i = 0; i < 3; i++) await hit();
    expect(row(await hit())).toEqual([4, true, 60, 60]);
    clock.advance(MINUTE);
    expect(row(await hit())).toEqual([1, false, 60, 0]);
    expect(row(await hit())).toEqual([2, false, 60, 0]);
    clock.advance(MINUTE);
    expect(row(await hit())).toEqual([1, false, 60, 0]);
  });

  it('without a block, refuses uncounted until the window ends', async () => {
    for (let i = 0; i < 3; i++) await hit(3, 0);
    clock.advance(15_000);
    expect(row(await hit(3, 0))).toEqual([4, true, 45, 45]);
    expect(row(await hit(3, 0))).toEqual([4, true, 45, 45]);
    clock.advance(45_000);
    expect(row(await hit(3, 0))).toEqual([1, false, 60, 0]);
  });

  it('answers a burst as the throttler’s own in-memory storage does', async () => {
    jest.spyOn(Date, 'now').mockReturnValue(T0);
    const memory = new ThrottlerStorageService();
    for (const block of [MINUTE, 0]) {
      for (let i = 0; i < 6; i++) {
        const expected = await memory.increment(`m${block}`, MINUTE, 3, block, NAME);
        expect(row(await hit(3, block, `r${block}`))).toEqual(row(expected));
      }
    }
    memory.onApplicationShutdown();
  });

  it('keeps throttlers and keys apart, and lets a record expire after its window or block', async () => {
    for (let i = 0; i < 4; i++) await hit(3, 2 * MINUTE);
    expect(row(await hit(3, MINUTE, 'other'))).toEqual([1, false, 60, 0]);
    expect(row(await hit(3, MINUTE, KEY, 'usage'))).toEqual([1, false, 60, 0]);
    const blocked = await pttl(redis, redis.key('throttle', NAME, KEY));
    const open = await pttl(redis, redis.key('throttle', NAME, 'other'));
    expect(blocked).toBeGreaterThan(2 * MINUTE + THROTTLER_RECORD_GRACE_MS - 1_000);
    expect(blocked).toBeLessThanOrEqual(2 * MINUTE + THROTTLER_RECORD_GRACE_MS);
    expect(open).toBeGreaterThan(MINUTE + THROTTLER_RECORD_GRACE_MS - 1_000);
    expect(open).toBeLessThanOrEqual(MINUTE + THROTTLER_RECORD_GRACE_MS);
  });

  it('two gateway instances on one Redis admit exactly the limit between them', async () => {
    const second = new RedisConnection(
      new GatewayConfigService(
        loadGatewayConfig({
          config: { redis: { url: 'redis://127.0.0.1:6379', keyPrefix: redis.key() } },
          env: {},
        }),
      ),
    );
    try {
      await waitReady(second);
      const other = new ThrottlerRedisStorage(second, rateLimitTestConfig(), clock);
      const records = await Promise.all(
        Array.from({ length: 30 }, (_, i) =>
          (i % 2 ? other : storage).increment(KEY, MINUTE, 10, MINUTE, NAME),
        ),
      );
      expect(records.filter((r) => !r.isBlocked)).toHaveLength(10);
      expect(records.map((r) => r.totalHits).sort((a, b) => a - b)).toEqual([
        ...Array.from({ length: 11 }, (_, i) => i + 1),
        ...Array.from({ length: 19 }, () => 11),
      ]);
    } finally {
      await second.onModuleDestroy();
    }
  });

  it('refuses arguments that are not whole numbers, before any Redis call', async () => {
    await expect(storage.increment(KEY, 0, 3, 0, NAME)).rejects.toThrow(/whole numbers/);
    await expect(storage.increment(KEY, MINUTE, 2.5, 0, NAME)).rejects.toThrow(/whole numbers/);
    await expect(storage.increment(KEY, MINUTE, 3, -1, NAME)).rejects.toThrow(/whole numbers/);
  });
});

describe(`${ThrottlerRedisStorage.name} while Redis is down`, () => {
  let proxy: StallingProxy;
  let redis: RedisConnection;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(async () => {
    proxy = new StallingProxy(6379);
    await proxy.start();
    redis = new RedisConnection(redisTestConfig(proxy.url()));
    await waitReady(redis);
  });
  afterEach(async () => {
    jest.restoreAllMocks();
    await proxy.start().catch(() => undefined);
    await waitReady(redis);
    await dropTestKeys(redis);
    await redis.onModuleDestroy();
    await proxy.stop();
  });

  it('fails open to this instance’s share of the limit, warns once, and returns to Redis', async () => {
    jest.spyOn(Date, 'now').mockReturnValue(T0);
    const warn = jest.spyOn(Logger.prototype, 'warn');
    const log = jest.spyOn(Logger.prototype, 'log');
    const config = rateLimitTestConfig({ expectedInstances: 3 });
    const storage = new ThrottlerRedisStorage(redis, config, new ManualClock(T0));
    const hit = () => storage.increment('k', MINUTE, 9, MINUTE, NAME);
    expect(row(await hit())).toEqual([1, false, 60, 0]); // counted in Redis

    await proxy.stop();
    // 9 ÷ 3 instances: three admitted here, the fourth refused for the block.
    const during = [];
    for (let i = 0; i < 5; i++) during.push(row(await hit()));
    expect(during.map(([hits, blocked]) => [hits, blocked])).toEqual([
      [1, false],
      [2, false],
      [3, false],
      [4, true],
      [4, true],
    ]);
    expect(said(warn, /throttler storage unavailable/)).toBe(1);

    await proxy.start();
    await waitReady(redis);
    expect(row(await hit())).toEqual([2, false, 60, 0]); // Redis's count again
    expect(row(await hit())).toEqual([3, false, 60, 0]);
    expect(said(log, /throttler storage reachable again/)).toBe(1);
    expect(said(warn, /throttler storage unavailable/)).toBe(1);
  });
});

describe(createThrottlerStorage.name, () => {
  it('is the throttler’s in-memory storage without Redis, the Redis storage with it', async () => {
    const withoutRedis = rateLimitTestConfig();
    expect(createThrottlerStorage(new RedisConnection(withoutRedis), withoutRedis)).toBeInstanceOf(
      ThrottlerStorageService,
    );
    const config = redisTestConfig();
    const redis = new RedisConnection(config);
    try {
      expect(createThrottlerStorage(redis, config)).toBeInstanceOf(ThrottlerRedisStorage);
    } finally {
      await redis.onModuleDestroy();
    }
  });
});

/** How many lines a logger spy took whose `msg` matches (Redis's own warnings left out). */
function said(spy: jest.SpyInstance, msg: RegExp): number {
  return spy.mock.calls.filter(([entry]: unknown[]) => {
    const text =
      typeof entry === 'object' && entry !== null && 'msg' in entry ? String(entry.msg) : '';
    return msg.test(text);
  }).length;
}

async function waitReady(redis: RedisConnection): Promise<void> {
  for (let waited = 0; !redis.ready; waited += 20) {
    if (waited > 10_000) throw new Error('Redis not ready after 10 s');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
