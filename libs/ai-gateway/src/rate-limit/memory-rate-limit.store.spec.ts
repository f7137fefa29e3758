import { MemoryRateLimitStore } from './memory-rate-limit.store';
import { GLOBAL_ALL, KEY_RPM, T0, take, USER_TPM } from './rate-limit.fixtures';
import { rateLimitStoreScenarios } from './rate-limit-store.scenarios';

describe(MemoryRateLimitStore.name, () => {
  rateLimitStoreScenarios(() => Promise.resolve({ store: new MemoryRateLimitStore() }));

  it('forgets full buckets, ended leases and old adjust records as time moves on', async () => {
    const store = new MemoryRateLimitStore({ leaseMs: 1_000 });
    for (let i = 0; i < 20; i++) {
      await take(store, [KEY_RPM, USER_TPM, GLOBAL_ALL], T0, 100, `r${i}`);
      await store.adjust(`r${i}`, [USER_TPM], -50, T0);
    }
    const sizes = () => {
      const inside = store as unknown as Record<
        'buckets' | 'slots' | 'adjusted',
        Map<string, unknown>
      >;
      return [inside.buckets.size, inside.slots.size, inside.adjusted.size];
    };
    expect(sizes()).toEqual([4, 1, 20]);
    // Ten minutes later every bucket is full (dropped), every lease and record over.
    await take(store, [KEY_RPM], T0 + 600_000);
    expect(sizes()).toEqual([1, 0, 0]);
  });
});
