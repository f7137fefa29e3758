import type { GatewayConfigService } from '../config/gateway-config.service';
import type { RedisConnection } from '../redis/redis-connection.service';
import {
  connectTestRedis,
  dropTestKeys,
  pttl,
  redisTestConfig,
} from '../resilience/redis-breaker.fixtures';
import { budgetPeriodScenarios } from './budget-period.scenarios';
import { budgetStoreScenarios } from './budget-store.scenarios';
import type { BudgetStoreFactory } from './budget.fixtures';
import { figures, PROVIDER, reserveMany, T0, TTL, USER } from './budget.fixtures';
import type { BudgetLevel } from './budget.types';
import { RedisBudgetStore } from './redis-budget.store';

/** $20 a month for the team: never the binding level below. */
const TEAM: BudgetLevel = {
  scope: 'team',
  id: 'research',
  limitMicroUsd: 20_000_000,
  period: 'monthly',
};
/** Worst case of one request: the user's $1 budget fits exactly 50. */
const WORST = 20_000;

const openRedisStore: BudgetStoreFactory = async () => {
  const redis = await connectTestRedis();
  return {
    store: new RedisBudgetStore(redis),
    close: async () => {
      await dropTestKeys(redis);
      await redis.onModuleDestroy();
    },
  };
};

async function count(redis: RedisConnection, command: 'ZCARD' | 'HLEN', key: string) {
  const source = `return redis.call('${command}', KEYS[1])`;
  return Number(await redis.run({ name: `test-${command}`, source }, [key], []));
}

describe(RedisBudgetStore.name, () => {
  describe('accounting', () => budgetStoreScenarios(openRedisStore));
  describe('periods', () => budgetPeriodScenarios(openRedisStore));

  describe('two gateway instances on one Redis', () => {
    let first: RedisConnection;
    let second: RedisConnection;
    let a: RedisBudgetStore;
    let b: RedisBudgetStore;
    let config: GatewayConfigService;

    beforeEach(async () => {
      // Two connections with the same prefix: two gateway instances sharing one Redis.
      config = redisTestConfig();
      [first, second] = await Promise.all([connectTestRedis(config), connectTestRedis(config)]);
      [a, b] = [new RedisBudgetStore(first), new RedisBudgetStore(second)];
    });
    afterEach(async () => {
      await dropTestKeys(first);
      await Promise.all([first.onModuleDestroy(), second.onModuleDestroy()]);
    });

    it('200 concurrent reserves admit exactly 50; settled at a quarter, 37 more fit', async () => {
      const levels = [PROVIDER, TEAM, USER];
      const admitted = await reserveMany([a, b], 'wave1', 200, levels, WORST, T0);
      expect(admitted).toHaveLength(50);
      expect(await figures(a, levels, T0)).toEqual([
        [0, 1_000_000],
        [0, 1_000_000],
        [0, 1_000_000],
      ]);

      // Each settles at a quarter of its worst case, half of them through the other instance.
      const settled = await Promise.all(
        admitted.map((id, i) => (i % 2 === 0 ? b : a).settle(id, WORST / 4, T0 + 1_000)),
      );
      expect(settled.every((outcome) => outcome === 'applied')).toBe(true);
      expect(await figures(b, [USER], T0 + 1_000)).toEqual([[250_000, 0]]);

      // $1 - 50 × $0.005 = $0.75 free: floor(750,000 / 20,000) = 37 more worst cases.
      const more = await reserveMany([a, b], 'wave2', 200, levels, WORST, T0 + 1_000);
      expect(more).toHaveLength(37);
      const [usage] = await a.usage([USER], T0 + 1_000);
      expect(usage).toMatchObject({
        spentMicroUsd: 250_000,
        reservedMicroUsd: 740_000,
        remainingMicroUsd: 10_000,
      });
      expect(usage.spentMicroUsd + usage.reservedMicroUsd).toBeLessThanOrEqual(1_000_000);
    });

    it('a crashed instance holds the budget only until its reservations expire', async () => {
      const doomed = await connectTestRedis(config);
      const held = await reserveMany([new RedisBudgetStore(doomed)], 'held', 50, [USER], WORST, T0);
      expect(held).toHaveLength(50);
      await doomed.onModuleDestroy(); // gone, holding all 50, never settling

      expect(await b.reserve('blocked', [USER], WORST, TTL, T0 + TTL - 1)).toMatchObject({
        ok: false,
        reservedMicroUsd: 1_000_000,
      });
      expect(await b.reserve('free-again', [USER], WORST, TTL, T0 + TTL)).toEqual({ ok: true });
      expect(await figures(a, [USER], T0 + TTL)).toEqual([[0, WORST]]);
      // That reserve purged the expired holds (lazily, no scan): one hold is left.
      const levelKey = second.key('budget', 'user', USER.id, 'd', String(Date.UTC(2026, 0, 14)));
      expect(await count(second, 'ZCARD', `${levelKey}:res`)).toBe(1);
      expect(await count(second, 'HLEN', levelKey)).toBe(2); // `reserved` and one hold
    });

    it('gives level keys an expiry past their period and records one of two TTLs', async () => {
      await a.reserve('r1', [USER, TEAM], WORST, TTL, T0);
      const dayKey = first.key('budget', 'user', USER.id, 'd', String(Date.UTC(2026, 0, 14)));
      const toMidnight = Date.UTC(2026, 0, 15) - T0; // 14 h
      for (const key of [dayKey, `${dayKey}:res`]) {
        const ttl = await pttl(first, key);
        expect(ttl).toBeGreaterThan(toMidnight + 2 * TTL - 1_000);
        expect(ttl).toBeLessThanOrEqual(toMidnight + 2 * TTL);
      }
      const record = first.key('budget', 'req', 'r1');
      expect(await pttl(first, record)).toBeGreaterThan(2 * TTL - 1_000);
      await a.settle('r1', 1, T0);
      expect(await pttl(first, record)).toBeLessThanOrEqual(TTL);
      expect(await pttl(first, record)).toBeGreaterThan(TTL - 1_000);
    });

    it('keeps sums exact beyond 14 significant digits', async () => {
      const big: BudgetLevel = { ...USER, limitMicroUsd: 2 ** 53 - 1 };
      await a.reserve('big1', [big], 1_234_567_890_123_456, TTL, T0);
      await a.reserve('big2', [big], 1, TTL, T0);
      await a.settle('big1', 1_234_567_890_123_455, T0);
      expect(await figures(b, [big], T0)).toEqual([[1_234_567_890_123_455, 1]]);
    });
  });
});
