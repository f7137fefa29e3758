import { Logger } from '@nestjs/common';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import {
  breakerTestConfig,
  KEY_A,
  KEY_B,
  KEY_C,
  ManualClock,
  metricValue,
} from './breaker.fixtures';
import { BreakerMetrics } from './breaker.metrics';
import type { BreakerStore } from './breaker.types';
import type { BreakerResult } from './circuit-breaker.service';
import { CircuitBreakerService } from './circuit-breaker.service';
import { keyIdOf } from './key-id';
import { MemoryBreakerStore } from './memory-breaker.store';

const A = keyIdOf(KEY_A);
const B = keyIdOf(KEY_B);

function failure(code: GatewayErrorCode, retryAfterMs?: number): BreakerResult {
  return {
    ok: false,
    error: new GatewayError(code, 'upstream said no', { provider: 'openai', retryAfterMs }),
  };
}

describe(CircuitBreakerService.name, () => {
  let clock: ManualClock;
  let metrics: GatewayMetrics;
  let breakers: CircuitBreakerService;

  function build(store?: BreakerStore): CircuitBreakerService {
    const breakerMetrics = new BreakerMetrics(metrics);
    const chosen =
      store ??
      new MemoryBreakerStore({ onTransition: (id, to) => breakerMetrics.transition(id, to) });
    return new CircuitBreakerService(breakerTestConfig(), breakerMetrics, clock, chosen);
  }

  /** One full call: acquire, then record `result`. */
  async function call(provider: string, keyId: string | undefined, result: BreakerResult) {
    const permit = await breakers.acquire(provider, keyId);
    if (permit.allowed) await breakers.record(provider, keyId, permit, result);
    return permit;
  }

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(() => {
    clock = new ManualClock();
    metrics = new GatewayMetrics();
    breakers = build();
  });

  const COUNTED = new Set<GatewayErrorCode>([
    GatewayErrorCode.SERVER_ERROR,
    GatewayErrorCode.TIMEOUT,
    GatewayErrorCode.CONNECTION,
    GatewayErrorCode.STREAM_INTERRUPTED,
  ]);

  it.each(Object.values(GatewayErrorCode))(
    'the provider circuit counts %s only when it is the provider’s fault',
    async (code) => {
      await call('local', undefined, failure(code));
      await call('local', undefined, failure(code));
      const permit = await breakers.acquire('local');
      expect(permit.allowed).toBe(!COUNTED.has(code));
      expect(permit.deniedBy).toBe(COUNTED.has(code) ? 'provider' : undefined);
    },
  );

  it('opens the provider, skips it, probes after openMs and closes on a good probe', async () => {
    await call('openai', A, failure(GatewayErrorCode.SERVER_ERROR));
    await call('openai', B, failure(GatewayErrorCode.TIMEOUT));
    expect(await breakers.acquire('openai', A)).toEqual({
      allowed: false,
      state: 'open',
      probe: false,
      openUntil: clock.time + 1_000,
      deniedBy: 'provider',
      providerProbe: false,
      keyProbe: false,
    });
    expect(await metricValue(metrics, 'gateway_breaker_state', { circuit: 'openai' })).toBe(2);

    clock.advance(1_000);
    const probe = await breakers.acquire('openai', A);
    expect(probe).toMatchObject({ allowed: true, state: 'half-open', providerProbe: true });
    expect((await breakers.acquire('openai', B)).allowed).toBe(false);
    await breakers.record('openai', A, probe, { ok: true });

    expect((await breakers.acquire('openai', B)).state).toBe('closed');
    const transitions = 'gateway_breaker_transitions_total';
    expect(await metricValue(metrics, transitions, { circuit: 'openai', to: 'open' })).toBe(1);
    expect(await metricValue(metrics, transitions, { circuit: 'openai', to: 'half-open' })).toBe(1);
    expect(await metricValue(metrics, transitions, { circuit: 'openai', to: 'closed' })).toBe(1);
    expect(await metricValue(metrics, 'gateway_breaker_state', { circuit: 'openai' })).toBe(0);
  });

  it('quarantines a key on auth for keyQuarantineMs; the other key and the provider go on', async () => {
    await call('openai', A, failure(GatewayErrorCode.AUTH));
    expect(await breakers.acquire('openai', A)).toMatchObject({
      allowed: false,
      deniedBy: 'key',
      state: 'open',
      openUntil: clock.time + 600_000,
    });
    expect((await breakers.acquire('openai', B)).allowed).toBe(true);
    const [openai] = await breakers.status();
    expect(openai).toMatchObject({ state: 'closed', consecutiveFailures: 0, windowRequests: 1 });
    expect(openai.keys.find((k) => k.keyId === A)).toMatchObject({
      state: 'open',
      lastError: 'auth',
    });
    clock.advance(600_000);
    expect(await breakers.acquire('openai', A)).toMatchObject({ allowed: true, keyProbe: true });
  });

  it.each([
    [90_000, 90_000],
    [1_000, 1_000],
    [undefined, 60_000],
  ])(
    'cools a key off after 429 (Retry-After %p ms, else keyCooldownMs) for %p ms',
    async (retryAfter, rest) => {
      await call('openai', A, failure(GatewayErrorCode.RATE_LIMITED, retryAfter));
      expect((await breakers.acquire('openai', A)).openUntil).toBe(clock.time + rest);
      clock.advance(rest - 1);
      expect((await breakers.acquire('openai', A)).allowed).toBe(false);
      clock.advance(1);
      expect((await breakers.acquire('openai', A)).keyProbe).toBe(true);
    },
  );

  it('a good probe reopens a rested key; a probe answering 429 again rests it again', async () => {
    await call('openai', A, failure(GatewayErrorCode.RATE_LIMITED));
    clock.advance(60_000);
    await call('openai', A, failure(GatewayErrorCode.RATE_LIMITED, 5_000));
    expect((await breakers.acquire('openai', A)).openUntil).toBe(clock.time + 5_000);
    clock.advance(5_000);
    const probe = await call('openai', A, { ok: true });
    expect(probe.keyProbe).toBe(true);
    expect(await breakers.acquire('openai', A)).toMatchObject({ allowed: true, state: 'closed' });
  });

  it('a provider without keys is not rested by 429 or 401', async () => {
    await call('local', undefined, failure(GatewayErrorCode.RATE_LIMITED, 30_000));
    await call('local', undefined, failure(GatewayErrorCode.AUTH));
    await call('local', undefined, failure(GatewayErrorCode.RATE_LIMITED));
    expect((await breakers.acquire('local')).allowed).toBe(true);
  });

  it('hands the provider probe back when the key refuses the call', async () => {
    await call('openai', A, failure(GatewayErrorCode.AUTH));
    await call('openai', B, failure(GatewayErrorCode.SERVER_ERROR));
    await call('openai', B, failure(GatewayErrorCode.SERVER_ERROR));
    clock.advance(1_000);
    expect(await breakers.acquire('openai', A)).toMatchObject({ allowed: false, deniedBy: 'key' });
    expect(await breakers.acquire('openai', B)).toMatchObject({
      allowed: true,
      providerProbe: true,
      keyProbe: false,
    });
  });

  it('status lists enabled providers and their keys by id, never a key', async () => {
    await call('openai', B, failure(GatewayErrorCode.SERVER_ERROR));
    const status = await breakers.status();
    expect(status.map((s) => s.provider)).toEqual(['openai', 'local']);
    expect(status[0]).toMatchObject({
      state: 'closed',
      degraded: false,
      windowRequests: 1,
      windowFailures: 1,
      consecutiveFailures: 1,
      lastError: 'server_error',
      lastErrorAt: clock.time,
    });
    expect(status[0].keys.map((k) => [k.keyId, k.state, k.windowRequests])).toEqual([
      [A, 'closed', 0],
      [B, 'closed', 1],
    ]);
    expect(status[1].keys).toEqual([]);
    const text = JSON.stringify(status) + (await metrics.render());
    for (const key of [KEY_A, KEY_B, KEY_C]) expect(text).not.toContain(key.slice(8));
  });

  it('fails open when the store fails: calls pass, nothing throws, errors are counted', async () => {
    const down = new Error('connect ECONNREFUSED');
    metrics = new GatewayMetrics();
    breakers = build({
      acquire: () => Promise.reject(down),
      record: () => Promise.reject(down),
      trip: () => Promise.reject(down),
      snapshot: () => Promise.reject(down),
    });
    const permit = await breakers.acquire('openai', A);
    expect(permit).toMatchObject({ allowed: true, state: 'closed', providerProbe: false });
    await breakers.record('openai', A, permit, failure(GatewayErrorCode.RATE_LIMITED));
    await breakers.record('openai', B, permit, failure(GatewayErrorCode.SERVER_ERROR));
    const status = await breakers.status();
    expect(status.map((s) => [s.state, s.degraded])).toEqual([
      ['closed', true],
      ['closed', true],
    ]);
    expect(await breakers.keyStates('openai', [A, B])).toEqual(['closed', 'closed']);
    const errors = 'gateway_breaker_store_errors_total';
    expect(await metricValue(metrics, errors, { operation: 'acquire' })).toBe(1);
    expect(await metricValue(metrics, errors, { operation: 'trip' })).toBe(1);
    expect(await metricValue(metrics, errors, { operation: 'record' })).toBe(3);
    expect(await metricValue(metrics, errors, { operation: 'snapshot' })).toBe(2);
  });

  it("never counts a failure that was the request's own, and frees the probe it held", async () => {
    const own: BreakerResult = {
      ...(failure(GatewayErrorCode.TIMEOUT) as { ok: false; error: GatewayError }),
      requestsOwn: true,
    };
    for (let i = 0; i < 10; i++) await call('openai', A, own);
    expect((await breakers.acquire('openai', A)).allowed).toBe(true);
    // Half-open: the request's own failure neither closes nor reopens; the next call probes.
    await call('openai', A, failure(GatewayErrorCode.SERVER_ERROR));
    await call('openai', A, failure(GatewayErrorCode.SERVER_ERROR));
    clock.advance(1_000);
    const probe = await call('openai', A, own);
    expect(probe.providerProbe).toBe(true);
    const next = await breakers.acquire('openai', A);
    expect(next).toMatchObject({ allowed: true, providerProbe: true });
  });

  it('does not rest a key on a 401 the caller may have caused (keyBlamed false)', async () => {
    const refused: BreakerResult = {
      ...(failure(GatewayErrorCode.AUTH) as { ok: false; error: GatewayError }),
      keyBlamed: false,
    };
    await call('openai', A, refused);
    expect((await breakers.keyStates('openai', [A]))[0]).toBe('closed');
    await call('openai', A, failure(GatewayErrorCode.AUTH));
    expect((await breakers.keyStates('openai', [A]))[0]).toBe('open');
  });

  it('ignores a refused permit handed to record', async () => {
    await call('local', undefined, failure(GatewayErrorCode.CONNECTION));
    await call('local', undefined, failure(GatewayErrorCode.CONNECTION));
    const refused = await breakers.acquire('local');
    await breakers.record('local', undefined, refused, { ok: true });
    expect((await breakers.status())[1]).toMatchObject({ state: 'open', windowRequests: 2 });
  });
});
