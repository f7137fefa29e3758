import type { RetryBudgetPolicy } from './retry-budget';
import { RetryBudget } from './retry-budget';

describe(RetryBudget.name, () => {
  let now: number;
  const clock = (): number => now;
  const noReserve: RetryBudgetPolicy = { budgetRatio: 0.2, minRetriesPerSecond: 0 };

  beforeEach(() => {
    now = 1_700_000_000_000;
  });

  function grant(budget: RetryBudget, provider: string, tries: number): number {
    let granted = 0;
    for (let i = 0; i < tries; i++) if (budget.tryAcquireRetry(provider)) granted++;
    return granted;
  }

  it('allows retries up to budgetRatio × requests in the window', () => {
    const budget = new RetryBudget({ now: clock, policyOf: () => noReserve });
    for (let i = 0; i < 100; i++) budget.onRequest('a');
    expect(grant(budget, 'a', 50)).toBe(20);
    expect(budget.usage('a')).toEqual({ requests: 100, retries: 20 });
    // Five more requests earn exactly one more retry.
    for (let i = 0; i < 5; i++) budget.onRequest('a');
    expect(grant(budget, 'a', 5)).toBe(1);
  });

  it('always allows minRetriesPerSecond × window as a reserve, even with no traffic', () => {
    const budget = new RetryBudget({
      now: clock,
      policyOf: () => ({ budgetRatio: 0.2, minRetriesPerSecond: 5 }),
    });
    expect(grant(budget, 'idle', 100)).toBe(50);
    for (let i = 0; i < 100; i++) budget.onRequest('idle');
    expect(grant(budget, 'idle', 100)).toBe(20);
  });

  it('keeps providers apart', () => {
    const budget = new RetryBudget({ now: clock, policyOf: () => noReserve });
    for (let i = 0; i < 10; i++) budget.onRequest('a');
    expect(grant(budget, 'b', 3)).toBe(0);
    expect(grant(budget, 'a', 3)).toBe(2);
  });

  it('forgets requests and retries older than the 10 s window', () => {
    const budget = new RetryBudget({ now: clock, policyOf: () => noReserve });
    for (let i = 0; i < 50; i++) budget.onRequest('a');
    expect(grant(budget, 'a', 20)).toBe(10);

    now += 9_000;
    expect(budget.usage('a')).toEqual({ requests: 50, retries: 10 });
    expect(grant(budget, 'a', 1)).toBe(0);

    now += 1_000; // the first second has left the window
    expect(budget.usage('a')).toEqual({ requests: 0, retries: 0 });
    for (let i = 0; i < 10; i++) budget.onRequest('a');
    expect(grant(budget, 'a', 5)).toBe(2);
  });

  it('slides second by second: retries spent recently still count', () => {
    const budget = new RetryBudget({ now: clock, policyOf: () => noReserve });
    for (let second = 0; second < 10; second++) {
      for (let i = 0; i < 10; i++) budget.onRequest('a');
      now += 1_000;
    }
    // 100 requests in the window → 20 retries.
    now -= 1_000;
    expect(grant(budget, 'a', 30)).toBe(20);
    now += 1_000; // the oldest 10 requests drop out: 90 → 18, 20 already spent
    expect(budget.usage('a')).toEqual({ requests: 90, retries: 20 });
    expect(grant(budget, 'a', 5)).toBe(0);
  });

  it('holds a bounded ring however long it runs', () => {
    const budget = new RetryBudget({ now: clock, policyOf: () => noReserve, windowSeconds: 3 });
    for (let second = 0; second < 1_000; second++) {
      budget.onRequest('a');
      now += 1_000;
    }
    now -= 1_000;
    expect(budget.usage('a')).toEqual({ requests: 3, retries: 0 });
  });

  it('reads the policy on every call and accepts an explicit one', () => {
    let policy: RetryBudgetPolicy = { budgetRatio: 0, minRetriesPerSecond: 0 };
    const budget = new RetryBudget({ now: clock, policyOf: () => policy });
    for (let i = 0; i < 10; i++) budget.onRequest('a');
    expect(budget.tryAcquireRetry('a')).toBe(false);
    policy = { budgetRatio: 0.5, minRetriesPerSecond: 0 };
    expect(grant(budget, 'a', 10)).toBe(5);
    expect(budget.tryAcquireRetry('a', { budgetRatio: 1, minRetriesPerSecond: 0 })).toBe(true);
  });

  it('falls back to the RetryConfig defaults (0.2, 5/s) without a policy', () => {
    const budget = new RetryBudget({ now: clock });
    for (let i = 0; i < 100; i++) budget.onRequest('a');
    expect(grant(budget, 'a', 200)).toBe(20 + 50);
  });
});
