import type { OpenedStore, StoreFactory } from '../testing/store.fixtures';
import { startMany, useStore } from '../testing/store.fixtures';
import type { RateLimitScope, RateLimitStore, RateLimitStoreResult } from './rate-limit.types';

export { T0 } from '../testing/store.fixtures';

/** A rate-limit store under test and how to dispose of it. */
export type OpenedRateLimitStore = OpenedStore<RateLimitStore>;

/** Builds a fresh, empty rate-limit store for one test. */
export type RateLimitStoreFactory = StoreFactory<RateLimitStore>;

/** 100 requests a minute: one every 600 ms once the burst is spent. */
export const KEY_RPM: RateLimitScope = {
  kind: 'key',
  id: 'key-1',
  requestsPerMinute: 100,
  failMode: 'open',
};

/** 10,000 tokens a minute: one token every 6 ms. */
export const USER_TPM: RateLimitScope = {
  kind: 'user',
  id: 'alice',
  tokensPerMinute: 10_000,
  failMode: 'open',
};

/** Two requests in flight at once (the id contains `:`, as team ids may). */
export const TEAM_CONCURRENCY: RateLimitScope = {
  kind: 'team',
  id: 'research:nlp',
  concurrentRequests: 2,
  failMode: 'closed',
};

/** Every dimension at once, roomy. */
export const GLOBAL_ALL: RateLimitScope = {
  kind: 'global',
  id: '*',
  requestsPerMinute: 1_000,
  tokensPerMinute: 1_000_000,
  concurrentRequests: 50,
  failMode: 'open',
};

/** Opens a fresh store before each test and closes it after; read it through the getter. */
export function useRateLimitStore(open: RateLimitStoreFactory): () => RateLimitStore {
  return useStore(open, 'rate-limit');
}

/** One request of `tokens` (ids are unique per call). */
let sequence = 0;
export function take(
  store: RateLimitStore,
  scopes: readonly RateLimitScope[],
  now: number,
  tokens = 0,
  id = `req-${++sequence}`,
): Promise<RateLimitStoreResult> {
  return store.acquire(id, scopes, { requests: 1, tokens }, now);
}

/** Starts `count` acquires at once, spread over `stores` in turn; returns the admitted ids. */
export function acquireMany(
  stores: readonly RateLimitStore[],
  prefix: string,
  count: number,
  scopes: readonly RateLimitScope[],
  tokens: number,
  now: number,
): Promise<string[]> {
  return startMany(stores, prefix, count, async (store, id) => {
    return (await store.acquire(id, scopes, { requests: 1, tokens }, now)).admitted;
  });
}

/** `[remaining, resetMs]` of each state of a result, in order. */
export function figures(result: RateLimitStoreResult): Array<[number, number]> {
  return result.states.map((state) => [state.remaining, state.resetMs]);
}

/** What the bucket of `scope` holds now, read by a zero-cost request that is not counted. */
export async function remainingTokens(
  store: RateLimitStore,
  scope: RateLimitScope,
  now: number,
): Promise<number> {
  const probe: RateLimitScope = { kind: scope.kind, id: scope.id, failMode: scope.failMode };
  if (scope.tokensPerMinute !== undefined) probe.tokensPerMinute = scope.tokensPerMinute;
  const result = await store.acquire(
    `probe-${++sequence}`,
    [probe],
    { requests: 0, tokens: 0 },
    now,
  );
  return result.states[0].remaining;
}
