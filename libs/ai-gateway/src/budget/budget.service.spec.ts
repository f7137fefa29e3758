import { Logger } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { RedisConnection } from '../redis/redis-connection.service';
import { ManualClock } from '../resilience/breaker.fixtures';
import { CLOCK } from '../shared/clock';
import { unreachableMethods } from '../testing/store.fixtures';
import { budgetProviders } from './budget.providers';
import { budgetTestConfig, T0, TEAM, USER } from './budget.fixtures';
import type { BudgetDecision } from './budget.service';
import { BudgetService, isAdmitted } from './budget.service';
import type { BudgetStore } from './budget.types';
import { BUDGET_STORE } from './budget.types';
import { MemoryBudgetStore } from './memory-budget.store';

/** A store whose Redis is gone: every call rejects the way ioredis does without a queue. */
function unreachableStore(): BudgetStore & { calls: string[] } {
  return unreachableMethods(['reserve', 'settle', 'release', 'usage']);
}

describe(BudgetService.name, () => {
  let clock: ManualClock;

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    clock = new ManualClock(T0);
  });

  function build(store: BudgetStore = new MemoryBudgetStore(), failOpen?: boolean) {
    const config = budgetTestConfig(failOpen === undefined ? {} : { failOpen });
    return new BudgetService(config, clock, store);
  }

  it('reserves, settles at the actual cost and reports usage on the injected clock', async () => {
    const budgets = build();
    expect(await budgets.reserve('r1', [USER, TEAM], 300_000)).toEqual({ outcome: 'reserved' });
    clock.advance(2_000);
    expect(await budgets.settle('r1', 120_000)).toBe('applied');
    expect(await budgets.settle('r1', 120_000)).toBe('already-finished');
    const usage = await budgets.usage([USER]);
    expect(usage[0]).toMatchObject({ spentMicroUsd: 120_000, remainingMicroUsd: 880_000 });
  });

  it('refuses an over-budget request with the figures and a clear message', async () => {
    const budgets = build();
    await budgets.reserve('r1', [USER], 600_000);
    await budgets.settle('r1', 987_500);
    await budgets.reserve('r2', [USER], 10_000);
    const decision = await budgets.reserve('r3', [TEAM, USER], 25_000);
    expect(decision).toEqual({
      outcome: 'exceeded',
      level: USER,
      spentMicroUsd: 987_500,
      reservedMicroUsd: 10_000,
      limitMicroUsd: 1_000_000,
      resetsAt: Date.UTC(2026, 0, 15),
      requestedMicroUsd: 25_000,
      message:
        'Budget exceeded: user "alice" daily budget of $1.00 has $0.9875 spent and $0.01 held ' +
        'by requests in flight; this request may cost up to $0.025. ' +
        'It resets at 2026-01-15T00:00:00.000Z.',
    });
    expect(isAdmitted(decision)).toBe(false);
  });

  it('holds for budgets.reservationTtlMs by default, or the ttl asked for', async () => {
    const budgets = new BudgetService(
      budgetTestConfig({ reservationTtlMs: 10_000 }),
      clock,
      new MemoryBudgetStore(),
    );
    await budgets.reserve('long', [USER], 1_000_000);
    await budgets.reserve('short', [TEAM], 500_000, { ttlMs: 1_000 });
    clock.advance(1_000);
    expect((await budgets.reserve('t2', [TEAM], 500_000)).outcome).toBe('reserved');
    expect((await budgets.reserve('u2', [USER], 1)).outcome).toBe('exceeded');
    clock.advance(9_000);
    expect((await budgets.reserve('u3', [USER], 1_000_000)).outcome).toBe('reserved');
  });

  it('makes no store call for a request without budgets', async () => {
    const store = unreachableStore();
    expect(await build(store).reserve('free', [], 5_000)).toEqual({ outcome: 'reserved' });
    expect(store.calls).toEqual([]);
  });

  it('fails closed by default when the store is unreachable, releasing any lost hold', async () => {
    const store = unreachableStore();
    const decision: BudgetDecision = await build(store).reserve('r1', [USER], 1_000);
    expect(decision).toEqual({
      outcome: 'unavailable',
      retryAfterMs: 2_000,
      message: 'Budgets cannot be checked right now; retry shortly.',
    });
    expect(isAdmitted(decision)).toBe(false);
    await new Promise((resolve) => setImmediate(resolve));
    expect(store.calls).toEqual(['reserve', 'release']);
  });

  it('fails open when budgets.failOpen is set: admitted, nothing held', async () => {
    const store = unreachableStore();
    const decision = await build(store, true).reserve('r1', [USER], 1_000);
    expect(decision).toEqual({ outcome: 'unchecked' });
    expect(isAdmitted(decision)).toBe(true);
    expect(store.calls).toEqual(['reserve']);
  });

  it('never throws from settle or release when the store is down', async () => {
    const budgets = build(unreachableStore());
    expect(await budgets.settle('r1', 10)).toBe('failed');
    expect(await budgets.release('r1')).toBe('failed');
  });

  it('lets a caller bug through as an internal error, not as an outage', async () => {
    const budgets = build(new MemoryBudgetStore(), true);
    await expect(budgets.reserve('r1', [USER], -1)).rejects.toMatchObject({
      code: GatewayErrorCode.INTERNAL,
    });
    await budgets.reserve('r1', [USER], 1);
    await budgets.release('r1');
    await expect(budgets.reserve('r1', [USER], 1)).rejects.toMatchObject({
      code: GatewayErrorCode.INTERNAL,
    });
  });

  it('is built by budgetProviders with the memory store when Redis is not configured', async () => {
    const moduleRef = await Test.createTestingModule({
      providers: [
        { provide: GatewayConfigService, useValue: budgetTestConfig() },
        { provide: CLOCK, useValue: clock },
        RedisConnection,
        ...budgetProviders,
      ],
    }).compile();
    expect(moduleRef.get(BUDGET_STORE)).toBeInstanceOf(MemoryBudgetStore);
    const budgets = moduleRef.get(BudgetService);
    expect(await budgets.reserve('r1', [USER], 5)).toEqual({ outcome: 'reserved' });
    await moduleRef.close();
  });
});
