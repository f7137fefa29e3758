import { breakerStoreScenarios, STREAK_POLICY } from './breaker-store.scenarios';
import { MemoryBreakerStore } from './memory-breaker.store';

describe(MemoryBreakerStore.name, () => {
  breakerStoreScenarios((options) => Promise.resolve({ store: new MemoryBreakerStore(options) }));

  it('keeps circuits apart: one open circuit leaves the others closed', async () => {
    const store = new MemoryBreakerStore();
    const failure = { ok: false, counts: true, probe: false, error: 'timeout' };
    for (let i = 0; i < 3; i++) await store.record('a', failure, STREAK_POLICY, 0);
    expect((await store.acquire('a', STREAK_POLICY, 1)).allowed).toBe(false);
    expect((await store.acquire('b', STREAK_POLICY, 1)).allowed).toBe(true);
    expect((await store.acquire('a#k-1', STREAK_POLICY, 1)).allowed).toBe(true);
  });
});
