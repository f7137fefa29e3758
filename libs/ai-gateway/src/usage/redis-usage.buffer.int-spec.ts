import type { RedisConnection } from '../redis/redis-connection.service';
import {
  connectTestRedis,
  dropTestKeys,
  redisTestConfig,
} from '../resilience/redis-breaker.fixtures';
import { RedisUsageBuffer } from './redis-usage.buffer';
import { usageBufferScenarios } from './usage-buffer.scenarios';
import { usageRow } from './usage.fixtures';

describe(RedisUsageBuffer.name, () => {
  describe('shared scenarios', () => {
    usageBufferScenarios(async (limit) => {
      const redis = await connectTestRedis();
      return {
        buffer: new RedisUsageBuffer(redis, { now: () => 0 }, { limit }),
        close: async () => {
          await dropTestKeys(redis);
          await redis.onModuleDestroy();
        },
      };
    });
  });

  describe('two instances on one Redis', () => {
    let first: RedisConnection;
    let second: RedisConnection;
    let now: number;
    const clock = { now: () => now };

    beforeEach(async () => {
      now = 1_000_000;
      const config = redisTestConfig();
      [first, second] = await Promise.all([connectTestRedis(config), connectTestRedis(config)]);
    });
    afterEach(async () => {
      await dropTestKeys(first);
      await Promise.all([first.onModuleDestroy(), second.onModuleDestroy()]);
    });

    it('never hands the same rows to both', async () => {
      const a = new RedisUsageBuffer(first, clock, { limit: 100 });
      const b = new RedisUsageBuffer(second, clock, { limit: 100 });
      await a.push([1, 2, 3, 4].map((n) => usageRow(n)));
      const [fromA, fromB] = await Promise.all([a.claim(2), b.claim(2)]);
      const ids = [...fromA!.rows, ...fromB!.rows].map((r) => r.requestId).sort();
      expect(ids).toEqual(['req-1', 'req-2', 'req-3', 'req-4']);
    });

    it('shares one bound: together they cannot overshoot it', async () => {
      const a = new RedisUsageBuffer(first, clock, { limit: 10 });
      const b = new RedisUsageBuffer(second, clock, { limit: 10 });
      const rows = Array.from({ length: 8 }, (_, n) => usageRow(n));
      const accepted = await Promise.all([a.push(rows), b.push(rows)]);
      expect(accepted[0] + accepted[1]).toBe(10);
      expect(await a.size()).toBe(10);
    });

    it('gives rows claimed by a dead instance to another once the lease has ended', async () => {
      const dying = new RedisUsageBuffer(first, clock, { limit: 100, leaseMs: 60_000 });
      const survivor = new RedisUsageBuffer(second, clock, { limit: 100, leaseMs: 60_000 });
      await dying.push([1, 2, 3].map((n) => usageRow(n)));
      await dying.claim(2);

      now += 59_999;
      expect((await survivor.claim(10))?.rows.map((r) => r.requestId)).toEqual(['req-3']);
      now += 1;
      expect((await survivor.claim(10))?.rows.map((r) => r.requestId)).toEqual(['req-1', 'req-2']);
    });
  });
});
