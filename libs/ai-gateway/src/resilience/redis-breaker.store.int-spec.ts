import type { RedisConnection } from '../redis/redis-connection.service';
import { breakerStoreScenarios, STREAK_POLICY } from './breaker-store.scenarios';
import type { BreakerOutcome, BreakerState } from './breaker.types';
import { connectTestRedis, dropTestKeys, pttl, redisTestConfig } from './redis-breaker.fixtures';
import { RedisBreakerStore } from './redis-breaker.store';

const T0 = 1_700_000_000_000;
const FAIL: BreakerOutcome = { ok: false, counts: true, probe: false, error: 'timeout' };

describe(RedisBreakerStore.name, () => {
  describe('shared scenarios', () => {
    breakerStoreScenarios(async (options) => {
      const redis = await connectTestRedis();
      return {
        store: new RedisBreakerStore(redis, options),
        close: async () => {
          await dropTestKeys(redis);
          await redis.onModuleDestroy();
        },
      };
    });
  });

  describe('on one Redis', () => {
    let first: RedisConnection;
    let second: RedisConnection;

    beforeEach(async () => {
      // Two connections with the same prefix: two gateway instances sharing one Redis.
      const config = redisTestConfig();
      [first, second] = await Promise.all([connectTestRedis(config), connectTestRedis(config)]);
    });
    afterEach(async () => {
      await dropTestKeys(first);
      await Promise.all([first.onModuleDestroy(), second.onModuleDestroy()]);
    });

    it('two instances see the same circuit: one opens it, the other is refused', async () => {
      const seen: Array<[string, BreakerState]> = [];
      const a = new RedisBreakerStore(first, { onTransition: (id, to) => seen.push([id, to]) });
      const b = new RedisBreakerStore(second);
      await a.record('openai', FAIL, STREAK_POLICY, T0);
      await b.record('openai', FAIL, STREAK_POLICY, T0 + 1);
      await a.record('openai', FAIL, STREAK_POLICY, T0 + 2);
      expect(await b.acquire('openai', STREAK_POLICY, T0 + 3)).toEqual({
        allowed: false,
        state: 'open',
        probe: false,
        openUntil: T0 + 5_002,
      });
      expect((await b.snapshot(['openai'], T0 + 3))[0]).toMatchObject({
        state: 'open',
        consecutiveFailures: 3,
        windowRequests: 3,
        lastError: 'timeout',
      });
      expect(seen).toEqual([['openai', 'open']]);
    });

    it('one probe across instances: the other instance waits for its verdict', async () => {
      const a = new RedisBreakerStore(first);
      const b = new RedisBreakerStore(second);
      await a.trip('openai', T0 + 1_000, 'server_error', T0);
      const permits = await Promise.all([
        a.acquire('openai', STREAK_POLICY, T0 + 1_000),
        b.acquire('openai', STREAK_POLICY, T0 + 1_000),
        a.acquire('openai', STREAK_POLICY, T0 + 1_000),
        b.acquire('openai', STREAK_POLICY, T0 + 1_000),
      ]);
      expect(permits.map((p) => p.probe)).toEqual([true, false, false, false]);
      await a.record('openai', { ok: true, counts: true, probe: true }, STREAK_POLICY, T0 + 1_050);
      expect(await b.acquire('openai', STREAK_POLICY, T0 + 1_051)).toEqual({
        allowed: true,
        state: 'closed',
        probe: false,
      });
    });

    it('gives every circuit hash an expiry so idle circuits disappear', async () => {
      const store = new RedisBreakerStore(first, { tripGraceMs: 60_000 });
      await store.record('p', FAIL, STREAK_POLICY, T0);
      const closedTtl = await pttl(first, first.key('breaker', 'p'));
      expect(closedTtl).toBeGreaterThan(19_000);
      expect(closedTtl).toBeLessThanOrEqual(20_000); // two windows of 10 s
      await store.record('p', FAIL, STREAK_POLICY, T0);
      await store.record('p', FAIL, STREAK_POLICY, T0); // open for 5 s
      const openTtl = await pttl(first, first.key('breaker', 'p'));
      expect(openTtl).toBeGreaterThan(24_000);
      expect(openTtl).toBeLessThanOrEqual(25_000);
      await store.trip('p#k-1', T0 + 600_000, 'auth', T0);
      const tripTtl = await pttl(first, first.key('breaker', 'p#k-1'));
      expect(tripTtl).toBeGreaterThan(659_000);
      expect(tripTtl).toBeLessThanOrEqual(660_000);
    });

    it('does not write a hash for calls through a closed circuit', async () => {
      const store = new RedisBreakerStore(first);
      await store.acquire('quiet', STREAK_POLICY, T0);
      expect(await pttl(first, first.key('breaker', 'quiet'))).toBe(-2);
    });
  });
});
