import type { RedisConnection } from '../redis/redis-connection.service';
import { connectTestRedis, dropTestKeys, pttl } from '../resilience/redis-breaker.fixtures';
import type { RateLimitStoreFactory } from './rate-limit.fixtures';
import { KEY_RPM, T0, take, TEAM_CONCURRENCY, USER_TPM } from './rate-limit.fixtures';
import { rateLimitStoreScenarios } from './rate-limit-store.scenarios';
import { RedisRateLimitStore } from './redis-rate-limit.store';

const openRedisStore: RateLimitStoreFactory = async () => {
  const redis = await connectTestRedis();
  return {
    store: new RedisRateLimitStore(redis),
    close: async () => {
      await dropTestKeys(redis);
      await redis.onModuleDestroy();
    },
  };
};

describe(RedisRateLimitStore.name, () => {
  rateLimitStoreScenarios(openRedisStore);

  describe('keys', () => {
    let redis: RedisConnection;
    let store: RedisRateLimitStore;

    beforeEach(async () => {
      redis = await connectTestRedis();
      store = new RedisRateLimitStore(redis, { leaseMs: 30_000 });
    });
    afterEach(async () => {
      await dropTestKeys(redis);
      await redis.onModuleDestroy();
    });

    it('expires a bucket two minutes after it would be full, a slot set with its lease', async () => {
      await take(store, [KEY_RPM, USER_TPM, TEAM_CONCURRENCY], T0, 3_000, 'r1');
      // 1 of 100 requests: full in 600 ms; 3,000 of 10,000 tokens: full in 18 s.
      const requests = await pttl(redis, redis.key('rl', 'key', 'key-1', 'r'));
      const tokens = await pttl(redis, redis.key('rl', 'user', 'alice', 't'));
      const slots = await pttl(redis, redis.key('rl', 'team', 'research:nlp', 'c'));
      expect(requests).toBeGreaterThan(120_600 - 1_000);
      expect(requests).toBeLessThanOrEqual(120_600);
      expect(tokens).toBeGreaterThan(138_000 - 1_000);
      expect(tokens).toBeLessThanOrEqual(138_000);
      expect(slots).toBeGreaterThan(30_000 - 1_000);
      expect(slots).toBeLessThanOrEqual(30_000);
      // The adjust record lives a minute: long enough for a retry, short for memory.
      await store.adjust('r1', [USER_TPM], -1_000, T0);
      const record = await pttl(redis, redis.key('rl', 'adj', 'r1'));
      expect(record).toBeGreaterThan(59_000);
      expect(record).toBeLessThanOrEqual(60_000);
    });

    it('keeps a deep debt exact and gives its key an expiry past the refill', async () => {
      const huge = { ...USER_TPM, tokensPerMinute: 10_000_000_000 };
      await take(store, [huge], T0, 10_000_000_000, 'r1');
      await store.adjust('r1', [huge], 10_000_000_000, T0);
      const refused = await take(store, [huge], T0, 1);
      // 10^10 tokens in debt refill in exactly 60 s; one token more needs 6 µs → 1 ms.
      expect(refused).toMatchObject({ admitted: false, retryAfterMs: 60_001 });
      expect(refused.states[0]).toMatchObject({ remaining: 0, resetMs: 120_000 });
      expect(await pttl(redis, redis.key('rl', 'user', 'alice', 't'))).toBeGreaterThan(239_000);
    });
  });
});
