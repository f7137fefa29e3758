import type { RateLimitScope, RateLimitStore, RateLimitStoreResult } from './rate-limit.types';

/** A store under test and how to dispose of it. */
export interface OpenedRateLimitStore {
  store: RateLimitStore;
  close?: () => Promise<void>;
}

/** Builds a fresh, empty store for one test (its own Redis key prefix, for example). */
export type RateLimitStoreFactory = () => Promise<OpenedRateLimitStore>;

/** Wednesday 14 January 2026, 10:00 UTC. */
export const T0 = Date.UTC(2026, 0, 14, 10);

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
  let opened: OpenedRateLimitStore | undefined;
  beforeEach(async () => {
    opened = await open();
  });
  afterEach(async () => {
    await opened?.close?.();
    opened = undefined;
  });
  return () => {
    if (!opened) throw new Error('no rate-limit store open');
    return opened.store;
  };
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
export async function acquireMany(
  stores: readonly RateLimitStore[],
  prefix: string,
  count: number,
  scopes: readonly RateLimitScope[],
  tokens: number,
  now: number,
): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `${prefix}-${i}`);
  const results = await Promise.all(
    ids.map((id, i) => stores[i % stores.length].acquire(id, scopes, { requests: 1, tokens }, now)),
  );
  return ids.filter((_, i) => results[i].admitted);
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
