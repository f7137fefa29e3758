import { Logger } from '@nestjs/common';
import type { TestingModule } from '@nestjs/testing';
import { Test } from '@nestjs/testing';
import { randomBytes } from 'node:crypto';
import { GatewayConfigService } from '../config/gateway-config.service';
import { RedisConnection } from '../redis/redis-connection.service';
import { ManualClock } from '../resilience/breaker.fixtures';
import { CLOCK } from '../shared/clock';
import { dropTestKeys, TEST_REDIS_URL } from '../resilience/redis-breaker.fixtures';
import type { BudgetSettings } from './budget-settings';
import { budgetProviders } from './budget.providers';
import { budgetTestConfig, T0, USER } from './budget.fixtures';
import { BudgetService } from './budget.service';
import { BUDGET_STORE } from './budget.types';
import { RedisBudgetStore } from './redis-budget.store';

/** Nothing listens on port 1: connections are refused at once. */
const DEAD_REDIS_URL = 'redis://127.0.0.1:1';

async function boot(url: string, budgets: Partial<BudgetSettings> = {}): Promise<TestingModule> {
  const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
  const config = budgetTestConfig(budgets, { redis: { url, keyPrefix } });
  const moduleRef = await Test.createTestingModule({
    providers: [
      { provide: GatewayConfigService, useValue: config },
      { provide: CLOCK, useValue: new ManualClock(T0) },
      RedisConnection,
      ...budgetProviders,
    ],
  }).compile();
  // init() waits (bounded) for a first connection; a dead Redis would only cost time.
  if (url !== DEAD_REDIS_URL) await moduleRef.init();
  return moduleRef;
}

describe(`${BudgetService.name} on Redis`, () => {
  const modules: TestingModule[] = [];

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  afterEach(async () => {
    for (const moduleRef of modules.splice(0)) {
      const redis = moduleRef.get(RedisConnection);
      if (redis.ready) await dropTestKeys(redis);
      await moduleRef.close();
    }
  });

  it('uses the Redis store when Redis is configured', async () => {
    const moduleRef = await boot(TEST_REDIS_URL);
    modules.push(moduleRef);
    expect(moduleRef.get(BUDGET_STORE)).toBeInstanceOf(RedisBudgetStore);
    const budgets = moduleRef.get(BudgetService);
    expect(await budgets.reserve('r1', [USER], 1_000_000)).toEqual({ outcome: 'reserved' });
    expect((await budgets.reserve('r2', [USER], 1)).outcome).toBe('exceeded');
    expect(await budgets.settle('r1', 400_000)).toBe('applied');
    expect((await budgets.usage([USER]))[0].spentMicroUsd).toBe(400_000);
  });

  it('Redis down: refuses fast with a retry hint (fail closed, the default)', async () => {
    const moduleRef = await boot(DEAD_REDIS_URL, { unavailableRetryAfterMs: 1_500 });
    modules.push(moduleRef);
    const budgets = moduleRef.get(BudgetService);
    const started = performance.now();
    const decision = await budgets.reserve('r1', [USER], 1_000);
    expect(performance.now() - started).toBeLessThan(100);
    expect(decision).toMatchObject({ outcome: 'unavailable', retryAfterMs: 1_500 });
    expect(await budgets.settle('r1', 10)).toBe('failed');
  });

  it('Redis down with budgets.failOpen: admits unchecked, just as fast', async () => {
    const moduleRef = await boot(DEAD_REDIS_URL, { failOpen: true });
    modules.push(moduleRef);
    const started = performance.now();
    const decision = await moduleRef.get(BudgetService).reserve('r1', [USER], 1_000);
    expect(performance.now() - started).toBeLessThan(100);
    expect(decision).toEqual({ outcome: 'unchecked' });
  });
});
