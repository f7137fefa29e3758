import type { BudgetStoreFactory } from './budget.fixtures';
import { figures, T0, TEAM, TTL, USER, useBudgetStore } from './budget.fixtures';
import type { BudgetLevel } from './budget.types';

const HOUR = 3_600_000;

/**
 * Period boundaries (UTC days and months, epoch-aligned windows) as every `BudgetStore`
 * must apply them; `now` alone moves time.
 */
export function budgetPeriodScenarios(open: BudgetStoreFactory): void {
  const store = useBudgetStore(open);

  async function spend(id: string, level: BudgetLevel, amount: number, now: number) {
    expect(await store().reserve(id, [level], amount, TTL, now)).toEqual({ ok: true });
    expect(await store().settle(id, amount, now)).toBe('applied');
  }

  it('a daily budget starts over at midnight UTC', async () => {
    const lastMs = Date.UTC(2026, 0, 14, 23, 59, 59, 999);
    await spend('day-1', USER, 1_000_000, lastMs);
    expect(await store().reserve('late', [USER], 1, TTL, lastMs)).toMatchObject({
      ok: false,
      spentMicroUsd: 1_000_000,
      resetsAt: Date.UTC(2026, 0, 15),
    });
    const midnight = Date.UTC(2026, 0, 15);
    expect(await figures(store(), [USER], midnight)).toEqual([[0, 0]]);
    expect(await store().reserve('next-day', [USER], 1_000_000, TTL, midnight)).toEqual({
      ok: true,
    });
  });

  it('a monthly budget starts over on the 1st at midnight UTC, whatever the month length', async () => {
    await spend('jan', TEAM, 500_000, Date.UTC(2026, 0, 31, 23, 59, 59, 999));
    expect(
      await store().reserve('jan-2', [TEAM], 1, TTL, Date.UTC(2026, 0, 31, 23, 59, 59, 999)),
    ).toMatchObject({ ok: false, resetsAt: Date.UTC(2026, 1, 1) });
    await spend('feb', TEAM, 500_000, Date.UTC(2026, 1, 1));
    const usage = await store().usage([TEAM], Date.UTC(2026, 1, 28, 12));
    expect(usage[0]).toMatchObject({
      periodStart: Date.UTC(2026, 1, 1),
      resetsAt: Date.UTC(2026, 2, 1),
      spentMicroUsd: 500_000,
    });
    expect(await figures(store(), [TEAM], Date.UTC(2026, 2, 1))).toEqual([[0, 0]]);
  });

  it('a custom window is fixed and aligned to the epoch', async () => {
    const hourly: BudgetLevel = { ...USER, period: { windowMs: HOUR } };
    await spend('w1', hourly, 1_000_000, T0 + 30 * 60_000); // 10:30
    expect(await store().reserve('w2', [hourly], 1, TTL, T0 + HOUR - 1)).toMatchObject({
      ok: false,
      resetsAt: T0 + HOUR, // 11:00, not 11:30
    });
    expect(await store().reserve('w3', [hourly], 1_000_000, TTL, T0 + HOUR)).toEqual({ ok: true });
    const usage = await store().usage([hourly], T0 + HOUR);
    expect(usage[0]).toMatchObject({ periodStart: T0 + HOUR, resetsAt: T0 + 2 * HOUR });
  });

  it('keeps a daily and a monthly budget of the same owner apart', async () => {
    const daily: BudgetLevel = { ...USER, limitMicroUsd: 1_000_000, period: 'daily' };
    const monthly: BudgetLevel = { ...USER, limitMicroUsd: 1_500_000, period: 'monthly' };
    const first = Date.UTC(2026, 0, 1, 9); // the day and the month start together
    await store().reserve('d1', [daily, monthly], 800_000, TTL, first);
    await store().settle('d1', 800_000, first);
    expect(await figures(store(), [daily, monthly], first)).toEqual([
      [800_000, 0],
      [800_000, 0],
    ]);
    const second = Date.UTC(2026, 0, 2, 9);
    expect(await store().reserve('d2', [daily, monthly], 800_000, TTL, second)).toMatchObject({
      ok: false,
      level: monthly,
      spentMicroUsd: 800_000,
    });
    expect(await store().reserve('d3', [daily, monthly], 700_000, TTL, second)).toEqual({
      ok: true,
    });
  });

  it('charges a cost to the period in which it was reserved', async () => {
    const before = Date.UTC(2026, 0, 14, 23, 59, 30);
    await store().reserve('overnight', [USER], 400_000, TTL, before);
    const after = Date.UTC(2026, 0, 15, 0, 0, 10);
    expect(await store().settle('overnight', 250_000, after)).toBe('applied');
    expect(await figures(store(), [USER], before)).toEqual([[250_000, 0]]);
    expect(await figures(store(), [USER], after)).toEqual([[0, 0]]);
  });
}
