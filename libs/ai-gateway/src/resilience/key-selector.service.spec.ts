import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import { ProviderConfig } from '../config/gateway-config.schema';
import { breakerTestConfig, KEY_A, KEY_B, KEY_C, ManualClock } from './breaker.fixtures';
import { BreakerMetrics } from './breaker.metrics';
import { CircuitBreakerService } from './circuit-breaker.service';
import { keyIdOf, keyIdsOf } from './key-id';
import { KeySelector } from './key-selector.service';
import { MemoryBreakerStore } from './memory-breaker.store';

function provider(apiKeys: string[]): ProviderConfig {
  return Object.assign(new ProviderConfig(), { name: 'openai', kind: 'openai', apiKeys });
}

describe(KeySelector.name, () => {
  let clock: ManualClock;
  let breakers: CircuitBreakerService;
  let selector: KeySelector;
  const three = provider([KEY_A, KEY_B, KEY_C]);

  beforeEach(() => {
    clock = new ManualClock();
    breakers = new CircuitBreakerService(
      breakerTestConfig(),
      new BreakerMetrics(new GatewayMetrics()),
      clock,
      new MemoryBreakerStore(),
    );
    selector = new KeySelector(breakers, clock);
  });

  async function picks(config: ProviderConfig, count: number): Promise<Array<string | undefined>> {
    const out: Array<string | undefined> = [];
    for (let i = 0; i < count; i++) out.push((await selector.pick(config))?.key);
    return out;
  }

  /** A call with `key` that the provider answers with `code`. */
  async function answer(key: string, code: GatewayErrorCode, retryAfterMs?: number) {
    const keyId = keyIdOf(key);
    const permit = await breakers.acquire('openai', keyId);
    const error = new GatewayError(code, 'no', { provider: 'openai', retryAfterMs });
    await breakers.record('openai', keyId, permit, { ok: false, error });
  }

  it('spreads calls round-robin over the keys', async () => {
    expect(await picks(three, 7)).toEqual([KEY_A, KEY_B, KEY_C, KEY_A, KEY_B, KEY_C, KEY_A]);
    expect(await selector.pick(three)).toEqual({ key: KEY_B, keyId: keyIdOf(KEY_B) });
  });

  it('keeps a cursor per provider', async () => {
    const other = Object.assign(provider([KEY_C, KEY_B]), { name: 'mistral' });
    expect(await picks(three, 2)).toEqual([KEY_A, KEY_B]);
    expect(await picks(other, 1)).toEqual([KEY_C]);
    expect(await picks(three, 1)).toEqual([KEY_C]);
  });

  it('skips a key cooling off after 429 until its rest is over', async () => {
    await answer(KEY_B, GatewayErrorCode.RATE_LIMITED);
    expect(await picks(three, 4)).toEqual([KEY_A, KEY_C, KEY_A, KEY_C]);
    clock.advance(60_000);
    // B's turn comes once, as its probe; while the probe is out, B is passed over.
    expect(await picks(three, 5)).toEqual([KEY_A, KEY_B, KEY_C, KEY_A, KEY_C]);
  });

  it('returns undefined when every key is cooling off or quarantined', async () => {
    await answer(KEY_A, GatewayErrorCode.AUTH);
    await answer(KEY_B, GatewayErrorCode.RATE_LIMITED, 120_000);
    await answer(KEY_C, GatewayErrorCode.RATE_LIMITED);
    expect(await selector.pick(three)).toBeUndefined();
    clock.advance(60_000);
    // Only C has rested: it is offered once, as the probe; then nothing is left.
    expect(await picks(three, 2)).toEqual([KEY_C, undefined]);
    clock.advance(30_000); // the probe never reported: after openMs C is offered again
    expect(await picks(three, 1)).toEqual([KEY_C]);
  });

  it('uses a rested key normally again once its probe succeeded', async () => {
    await answer(KEY_A, GatewayErrorCode.RATE_LIMITED);
    clock.advance(60_000);
    const probe = await selector.pick(three);
    expect(probe?.key).toBe(KEY_A);
    expect(await picks(three, 3)).toEqual([KEY_B, KEY_C, KEY_B]);
    const permit = await breakers.acquire('openai', probe?.keyId);
    expect(permit.keyProbe).toBe(true);
    await breakers.record('openai', probe?.keyId, permit, { ok: true });
    expect(await picks(three, 3)).toEqual([KEY_C, KEY_A, KEY_B]);
  });

  it('gives a provider without keys an empty pick', async () => {
    expect(await selector.pick(provider([]))).toEqual({});
  });

  it('names keys by a stable id that reveals nothing of the key', () => {
    const ids = keyIdsOf([KEY_A, KEY_B, KEY_C]);
    expect(ids).toEqual([keyIdOf(KEY_A), keyIdOf(KEY_B), keyIdOf(KEY_C)]);
    expect(new Set(ids).size).toBe(3);
    for (const id of ids) expect(id).toMatch(/^k-[0-9a-f]{8}$/);
    // The id depends on the key only: reordering the keys keeps each key's circuit.
    expect(keyIdsOf([KEY_C, KEY_A])).toEqual([keyIdOf(KEY_C), keyIdOf(KEY_A)]);
    expect(keyIdOf('sk-test-AAAAAAAAAAAAAAAAAAAAAAAAAAAA')).toBe(ids[0]);
    expect(ids.join()).not.toMatch(/sk-|AAAA|BBBB|CCCC/);
  });
});
