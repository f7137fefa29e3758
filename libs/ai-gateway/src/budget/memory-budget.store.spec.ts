import { budgetPeriodScenarios } from './budget-period.scenarios';
import { budgetStoreScenarios } from './budget-store.scenarios';
import { figures, T0, TTL, USER } from './budget.fixtures';
import { MemoryBudgetStore } from './memory-budget.store';

describe(MemoryBudgetStore.name, () => {
  const open = () => Promise.resolve({ store: new MemoryBudgetStore() });

  describe('accounting', () => budgetStoreScenarios(open));
  describe('periods', () => budgetPeriodScenarios(open));

  it('forgets finished requests and past periods as time moves on', async () => {
    const store = new MemoryBudgetStore();
    for (let i = 0; i < 100; i++) {
      await store.reserve(`r${i}`, [USER], 1_000, TTL, T0);
      if (i % 2 === 0) await store.settle(`r${i}`, 500, T0);
    }
    const sizes = () => {
      const inside = store as unknown as {
        records: Map<string, unknown>;
        levels: Map<string, unknown>;
      };
      return [inside.records.size, inside.levels.size];
    };
    expect(sizes()).toEqual([100, 1]);
    // Two days later: every record and yesterday's level are gone; today's is new.
    const later = T0 + 2 * 86_400_000;
    expect(await store.reserve('today', [USER], 1_000, TTL, later)).toEqual({ ok: true });
    expect(sizes()).toEqual([1, 1]);
    expect(await figures(store, [USER], later)).toEqual([[0, 1_000]]);
  });
});
