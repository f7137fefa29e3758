import { BreakerConfig } from '../config/gateway-config.schema';
import type { BreakerOutcome, BreakerState, BreakerStore } from './breaker.types';
import type { BreakerStoreOptions } from './circuit-state';

/** A store under test and how to dispose of it. */
export interface OpenedBreakerStore {
  store: BreakerStore;
  close?: () => Promise<void>;
}

/** Builds a fresh, empty store for one test (its own Redis key prefix, for example). */
export type BreakerStoreFactory = (options: BreakerStoreOptions) => Promise<OpenedBreakerStore>;

/** Opens after 3 consecutive failures; the error-rate rule is off (see RATE_POLICY). */
export const STREAK_POLICY: BreakerConfig = Object.assign(new BreakerConfig(), {
  failureThreshold: 3,
  errorRateThreshold: 1,
  minRequests: 1_000,
  windowMs: 10_000,
  openMs: 5_000,
});

/** Opens at a 50 % failure share once 4 requests were seen; the streak rule is off. */
export const RATE_POLICY: BreakerConfig = Object.assign(new BreakerConfig(), {
  failureThreshold: 1_000,
  errorRateThreshold: 0.5,
  minRequests: 4,
  windowMs: 10_000,
  openMs: 5_000,
});

const T0 = 1_700_000_000_000;
const OK: BreakerOutcome = { ok: true, counts: true, probe: false };
const FAIL: BreakerOutcome = { ok: false, counts: true, probe: false, error: 'server_error' };
const CALLER: BreakerOutcome = { ok: false, counts: false, probe: false, error: 'bad_request' };
const PROBE_OK: BreakerOutcome = { ...OK, probe: true };
const PROBE_FAIL: BreakerOutcome = { ...FAIL, probe: true };

/**
 * The breaker state machine every `BreakerStore` must follow, run against the memory
 * store (unit spec) and the Redis store (integration spec) alike.
 */
export function breakerStoreScenarios(open: BreakerStoreFactory): void {
  let store: BreakerStore;
  let close: (() => Promise<void>) | undefined;
  let transitions: Array<[string, BreakerState]>;

  beforeEach(async () => {
    transitions = [];
    ({ store, close } = await open({ onTransition: (id, to) => transitions.push([id, to]) }));
  });
  afterEach(async () => {
    await close?.();
  });

  async function recordAll(id: string, outcomes: BreakerOutcome[], now = T0): Promise<void> {
    for (const outcome of outcomes) await store.record(id, outcome, STREAK_POLICY, now);
  }

  /** Opens `id` at T0: it reopens for probes at T0 + openMs. */
  async function opened(id: string): Promise<void> {
    await recordAll(id, [FAIL, FAIL, FAIL]);
    transitions.length = 0;
  }

  it('a circuit nobody used is closed, lets calls through and reads as zeros', async () => {
    expect(await store.acquire('p', STREAK_POLICY, T0)).toEqual({
      allowed: true,
      state: 'closed',
      probe: false,
    });
    expect(await store.snapshot(['p'], T0)).toEqual([
      {
        id: 'p',
        state: 'closed',
        consecutiveFailures: 0,
        windowRequests: 0,
        windowFailures: 0,
      },
    ]);
  });

  it('opens after failureThreshold consecutive failures, for openMs', async () => {
    await recordAll('p', [FAIL, FAIL]);
    expect((await store.acquire('p', STREAK_POLICY, T0)).allowed).toBe(true);
    const snapshot = await store.record('p', FAIL, STREAK_POLICY, T0 + 7);
    expect(snapshot).toMatchObject({
      state: 'open',
      openUntil: T0 + 7 + 5_000,
      consecutiveFailures: 3,
      windowRequests: 3,
      windowFailures: 3,
      lastError: 'server_error',
      lastErrorAt: T0 + 7,
    });
    expect(transitions).toEqual([['p', 'open']]);
    expect(await store.acquire('p', STREAK_POLICY, T0 + 5_006)).toEqual({
      allowed: false,
      state: 'open',
      probe: false,
      openUntil: T0 + 5_007,
    });
  });

  it('a success breaks the streak; a caller error neither breaks nor extends it', async () => {
    await recordAll('p', [FAIL, FAIL, OK, FAIL, FAIL]);
    expect((await store.snapshot(['p'], T0))[0]).toMatchObject({
      state: 'closed',
      consecutiveFailures: 2,
      windowRequests: 5,
      windowFailures: 4,
    });
    await recordAll('q', [CALLER, CALLER, CALLER, CALLER, FAIL, CALLER, FAIL]);
    expect((await store.snapshot(['q'], T0))[0]).toMatchObject({
      state: 'closed',
      consecutiveFailures: 2,
      windowRequests: 7,
      windowFailures: 2,
      lastError: 'server_error',
    });
    expect((await store.record('q', FAIL, STREAK_POLICY, T0)).state).toBe('open');
  });

  it('opens when the failure share reaches errorRateThreshold with minRequests seen', async () => {
    const steps: Array<[BreakerOutcome, BreakerState]> = [
      [FAIL, 'closed'], // 1/1, under minRequests
      [FAIL, 'closed'], // 2/2
      [OK, 'closed'], // 2/3
      [OK, 'closed'], // 2/4: 50 % but an OK never opens
      [OK, 'closed'], // 2/5
      [FAIL, 'open'], // 3/6 = 50 %
    ];
    for (const [outcome, state] of steps) {
      expect((await store.record('p', outcome, RATE_POLICY, T0)).state).toBe(state);
    }
    expect(transitions).toEqual([['p', 'open']]);
  });

  it('starts a fresh window after windowMs: old outcomes stop counting', async () => {
    for (const outcome of [OK, FAIL, FAIL]) await store.record('p', outcome, RATE_POLICY, T0);
    expect((await store.snapshot(['p'], T0 + 9_999))[0]).toMatchObject({
      windowRequests: 3,
      windowFailures: 2,
    });
    expect((await store.snapshot(['p'], T0 + 10_000))[0]).toMatchObject({
      windowRequests: 0,
      windowFailures: 0,
    });
    // In one window OK FAIL FAIL OK would be 2/4 and open; across the boundary it is 0/1.
    const snapshot = await store.record('p', OK, RATE_POLICY, T0 + 10_000);
    expect(snapshot).toMatchObject({ state: 'closed', windowRequests: 1, windowFailures: 0 });
    for (const outcome of [FAIL, OK]) await store.record('p', outcome, RATE_POLICY, T0 + 19_999);
    expect((await store.record('p', FAIL, RATE_POLICY, T0 + 19_999)).state).toBe('open');
  });

  it('half-opens after openMs and lets exactly one probe through concurrent acquires', async () => {
    await opened('p');
    expect((await store.acquire('p', STREAK_POLICY, T0 + 4_999)).allowed).toBe(false);
    expect((await store.snapshot(['p'], T0 + 5_000))[0].state).toBe('half-open');
    const permits = await Promise.all(
      Array.from({ length: 8 }, () => store.acquire('p', STREAK_POLICY, T0 + 5_000)),
    );
    expect(permits.filter((p) => p.allowed)).toEqual([
      { allowed: true, state: 'half-open', probe: true },
    ]);
    expect(permits.filter((p) => !p.allowed)).toHaveLength(7);
    expect(permits.find((p) => !p.allowed)).toEqual({
      allowed: false,
      state: 'half-open',
      probe: false,
    });
    expect(transitions).toEqual([['p', 'half-open']]);
  });

  it('a good probe closes the circuit and resets its counters', async () => {
    await opened('p');
    expect((await store.acquire('p', STREAK_POLICY, T0 + 5_000)).probe).toBe(true);
    const snapshot = await store.record('p', PROBE_OK, STREAK_POLICY, T0 + 5_100);
    expect(snapshot).toMatchObject({
      state: 'closed',
      consecutiveFailures: 0,
      windowRequests: 0,
      windowFailures: 0,
      lastError: 'server_error',
    });
    expect(snapshot.openUntil).toBeUndefined();
    expect(transitions).toEqual([
      ['p', 'half-open'],
      ['p', 'closed'],
    ]);
    expect(await store.acquire('p', STREAK_POLICY, T0 + 5_100)).toEqual({
      allowed: true,
      state: 'closed',
      probe: false,
    });
  });

  it('a failed probe opens the circuit again for openMs from the failure', async () => {
    await opened('p');
    await store.acquire('p', STREAK_POLICY, T0 + 5_000);
    const snapshot = await store.record('p', PROBE_FAIL, STREAK_POLICY, T0 + 5_200);
    expect(snapshot).toMatchObject({ state: 'open', openUntil: T0 + 10_200 });
    expect((await store.acquire('p', STREAK_POLICY, T0 + 10_199)).allowed).toBe(false);
    expect((await store.acquire('p', STREAK_POLICY, T0 + 10_200)).probe).toBe(true);
    expect(transitions.map(([, to]) => to)).toEqual(['half-open', 'open', 'half-open']);
  });

  it('a probe ending in a caller error frees the slot without deciding', async () => {
    await opened('p');
    await store.acquire('p', STREAK_POLICY, T0 + 5_000);
    const snapshot = await store.record('p', { ...CALLER, probe: true }, STREAK_POLICY, T0 + 5_001);
    expect(snapshot.state).toBe('half-open');
    expect(await store.acquire('p', STREAK_POLICY, T0 + 5_002)).toEqual({
      allowed: true,
      state: 'half-open',
      probe: true,
    });
    expect(transitions).toEqual([['p', 'half-open']]);
  });

  it('a probe that never reports is replaced after openMs', async () => {
    await opened('p');
    await store.acquire('p', STREAK_POLICY, T0 + 5_000);
    expect((await store.acquire('p', STREAK_POLICY, T0 + 9_999)).allowed).toBe(false);
    expect((await store.acquire('p', STREAK_POLICY, T0 + 10_000)).probe).toBe(true);
  });

  it('late answers of calls let through before opening change only the counters', async () => {
    await opened('p');
    const late = await store.record('p', OK, STREAK_POLICY, T0 + 100);
    expect(late).toMatchObject({ state: 'open', openUntil: T0 + 5_000, consecutiveFailures: 0 });
    await store.acquire('p', STREAK_POLICY, T0 + 5_000);
    expect((await store.record('p', FAIL, STREAK_POLICY, T0 + 5_001)).state).toBe('half-open');
    expect((await store.record('p', OK, STREAK_POLICY, T0 + 5_002)).state).toBe('half-open');
    expect(transitions).toEqual([['p', 'half-open']]);
  });

  it('trip forces a circuit open until the given time, then half-opens as usual', async () => {
    await store.trip('p#k-1', T0 + 60_000, 'rate_limited', T0);
    expect((await store.snapshot(['p#k-1'], T0))[0]).toMatchObject({
      state: 'open',
      openUntil: T0 + 60_000,
      lastError: 'rate_limited',
      lastErrorAt: T0,
      windowRequests: 0,
    });
    expect(await store.acquire('p#k-1', STREAK_POLICY, T0 + 59_999)).toEqual({
      allowed: false,
      state: 'open',
      probe: false,
      openUntil: T0 + 60_000,
    });
    expect((await store.acquire('p#k-1', STREAK_POLICY, T0 + 60_000)).probe).toBe(true);
    expect(transitions).toEqual([
      ['p#k-1', 'open'],
      ['p#k-1', 'half-open'],
    ]);
  });

  it('a shorter trip never shortens a longer one; a longer one extends it', async () => {
    await store.trip('k', T0 + 600_000, 'auth', T0);
    await store.trip('k', T0 + 60_000, 'rate_limited', T0 + 1);
    expect((await store.snapshot(['k'], T0 + 1))[0]).toMatchObject({
      openUntil: T0 + 600_000,
      lastError: 'rate_limited',
    });
    await store.trip('k', T0 + 900_000, 'auth', T0 + 2);
    expect((await store.snapshot(['k'], T0 + 2))[0].openUntil).toBe(T0 + 900_000);
    expect(transitions).toEqual([['k', 'open']]);
  });

  it('trip during a probe cancels it: the circuit is open again', async () => {
    await opened('p');
    await store.acquire('p', STREAK_POLICY, T0 + 5_000);
    await store.trip('p', T0 + 8_000, 'auth', T0 + 5_001);
    expect((await store.record('p', PROBE_OK, STREAK_POLICY, T0 + 5_002)).state).toBe('open');
    expect((await store.acquire('p', STREAK_POLICY, T0 + 8_000)).probe).toBe(true);
  });

  it('snapshots several circuits in the order asked', async () => {
    await opened('a');
    await store.record('b', OK, STREAK_POLICY, T0);
    const snapshots = await store.snapshot(['b', 'none', 'a'], T0 + 1);
    expect(snapshots.map((s) => [s.id, s.state, s.windowRequests])).toEqual([
      ['b', 'closed', 1],
      ['none', 'closed', 0],
      ['a', 'open', 3],
    ]);
    expect(await store.snapshot([], T0)).toEqual([]);
  });
}
