import { answerOf } from '../cache.fixtures';
import type { CachedResponse } from '../cached-response';
import { MemoryExactCacheStore } from './memory-exact-cache.store';

function entry(text: string): CachedResponse {
  return { response: answerOf(text), provider: 'p', model: 'm', storedAt: 0, requestId: 'r' };
}

const sizeOf = (key: string, text: string): number =>
  Buffer.byteLength(JSON.stringify(entry(text))) + key.length + 256;

describe('MemoryExactCacheStore', () => {
  let now = 0;
  const clock = { now: () => now };
  beforeEach(() => {
    now = 1_000;
  });

  it('charges each entry its JSON size plus key and overhead', async () => {
    const store = new MemoryExactCacheStore(() => 1_000_000, clock);
    await store.set('k1', entry('hello'), 60_000);
    await store.set('k2', entry('hé ☃'), 60_000);
    expect(store.held().bytes).toBe(sizeOf('k1', 'hello') + sizeOf('k2', 'hé ☃'));
    await store.set('k1', entry('hello again'), 60_000);
    expect(store.held().bytes).toBe(sizeOf('k1', 'hello again') + sizeOf('k2', 'hé ☃'));
    await store.delete('k2');
    expect(store.held().bytes).toBe(sizeOf('k1', 'hello again'));
    expect(store.held().entries).toBe(1);
  });

  it('evicts the least recently used entries, never exceeding the bound', async () => {
    // Keys and answers of one length, so every entry costs the same.
    const one = sizeOf('k0', 'answer 0');
    const store = new MemoryExactCacheStore(() => one * 3, clock);
    for (let i = 0; i < 3; i++) await store.set(`k${i}`, entry(`answer ${i}`), 60_000);
    expect(store.held().entries).toBe(3);
    // Reading k0 makes k1 the least recently used.
    expect((await store.get('k0'))?.response.choices[0].message.content).toBe('answer 0');
    await store.set('k3', entry('answer 3'), 60_000);
    expect(store.held().bytes).toBeLessThanOrEqual(one * 3);
    expect(await store.get('k1')).toBeUndefined();
    expect(await store.get('k0')).toBeDefined();
    expect(await store.get('k2')).toBeDefined();
    expect(await store.get('k3')).toBeDefined();
    for (let i = 4; i < 10; i++) await store.set(`k${i}`, entry(`answer ${i}`), 60_000);
    expect(store.held().entries).toBe(3);
    expect(store.held().bytes).toBe(one * 3);
    expect(await store.get('k9')).toBeDefined();
    expect(await store.get('k6')).toBeUndefined();
  });

  it('refuses an entry larger than the whole bound without evicting the rest', async () => {
    const store = new MemoryExactCacheStore(() => 2_000, clock);
    await store.set('small', entry('s'), 60_000);
    await store.set('huge', entry('x'.repeat(5_000)), 60_000);
    expect(await store.get('huge')).toBeUndefined();
    expect(await store.get('small')).toBeDefined();
  });

  it('expires entries at their TTL and frees their bytes', async () => {
    const store = new MemoryExactCacheStore(() => 1_000_000, clock);
    await store.set('k', entry('soon gone'), 5_000);
    now += 4_999;
    expect(await store.get('k')).toBeDefined();
    now += 1;
    expect(await store.get('k')).toBeUndefined();
    expect(store.held().bytes).toBe(0);
    expect(store.held().entries).toBe(0);
  });

  it('reads the bound on every write, so a reload that lowers it applies', async () => {
    let bound = 1_000_000;
    const store = new MemoryExactCacheStore(() => bound, clock);
    for (let i = 0; i < 9; i++) await store.set(`k${i}`, entry(`a${i}`), 60_000);
    bound = sizeOf('k0', 'a0') * 2;
    await store.set('k9', entry('a9'), 60_000);
    expect(store.held().entries).toBe(2);
    expect(await store.get('k9')).toBeDefined();
    expect(await store.get('k8')).toBeDefined();
  });
});
