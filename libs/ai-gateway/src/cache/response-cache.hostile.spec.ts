import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { CallOptions, ResponseMeta } from '../shared/call-result';
import type { ChatRequest } from '../types/unified';
import { answerOf, noProviderEmbeddings } from './cache.fixtures';
import { CacheMetrics } from './cache.metrics';
import type { ExactCacheStore } from './cached-response';
import { MemoryExactCacheStore } from './exact/memory-exact-cache.store';
import { ResponseCache } from './response-cache.service';
import { SemanticIndex } from './semantic/semantic-index';
import { MemorySemanticStore } from './semantic/semantic-store';
import { SemanticLayer } from './semantic/semantic-layer';

/*
 * The response cache against callers who probe it: chain overrides (issue 13 item 15),
 * bodies too deep to key (item 8), prompts that expand under normalisation, and the memory
 * gauges of a Redis-backed instance (item 18).
 */

const meta: ResponseMeta = {
  requestId: 'r',
  provider: 'up1',
  model: 'm1',
  fake: false,
  attempts: [],
  latencyMs: 5,
};

const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'm1',
  temperature: 0,
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content },
  ],
  ...extra,
});

function setup(cache: Record<string, unknown> = {}, exact?: ExactCacheStore) {
  const clock = { now: () => 1_000_000 };
  const config = new GatewayConfigService(loadGatewayConfig({ config: { cache }, env: {} }));
  const metrics = new GatewayMetrics();
  const index = new SemanticIndex(() => config.current.cache.semanticCache, clock.now);
  const cacheMetrics = new CacheMetrics(metrics);
  const service = new ResponseCache(
    config,
    exact ?? new MemoryExactCacheStore(() => 1_000_000, clock),
    new SemanticLayer(config, new MemorySemanticStore(index), cacheMetrics, noProviderEmbeddings),
    cacheMetrics,
    clock,
  );
  const roundTrip = async (body: ChatRequest, text: string, options: CallOptions = {}) => {
    const lookup = await service.lookup(body, options);
    if (!lookup.hit) {
      service.store(lookup, answerOf(text), meta);
      await new Promise((resolve) => setImmediate(resolve));
    }
    return lookup;
  };
  const metric = async (line: string): Promise<number> => {
    const found = (await metrics.render()).split('\n').find((l) => l.startsWith(line + ' '));
    return found ? Number(found.slice(line.length + 1)) : 0;
  };
  return { service, roundTrip, metric, index };
}

describe('ResponseCache on hostile requests', () => {
  it('a chain override never gets the answer cached for another chain (item 15)', async () => {
    const { roundTrip } = setup();
    const caller = { keyId: 'tenant-a' };
    const body = ask('Name a colour.');
    await roundTrip(body, 'answer of m1', { caller, chain: ['up1/m1'] });
    const other = await roundTrip(body, 'answer of m2', { caller, chain: ['up2/m2'] });
    expect(other.outcome.status).toBe('miss');
    const plain = await roundTrip(body, 'answer of the route', { caller });
    expect(plain.outcome.status).toBe('miss');
    // Each chain finds its own answer again.
    const again = await roundTrip(body, 'unused', { caller, chain: ['up2/m2'] });
    expect(again.outcome.status).toBe('hit');
    expect(again.hit?.response.choices[0].message.content).toBe('answer of m2');
  });

  it('a chain override cannot borrow a semantic neighbour of another chain either', async () => {
    const { roundTrip } = setup({ semantic: 'on' });
    const caller = { keyId: 'tenant-a' };
    await roundTrip(ask('How do I reverse a list in Python?'), 'm1', { caller, chain: ['m1'] });
    const near = await roundTrip(ask('how to reverse a list in python'), 'm2', {
      caller,
      chain: ['m2'],
    });
    expect(near.outcome.status).toBe('miss');
  });

  it('a body nested 10,000 deep is uncacheable: a skip, never a RangeError (item 8)', async () => {
    const { service, metric } = setup({ semantic: 'on' });
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) deep = { x: deep };
    const lookup = await service.lookup(ask('hello', { extra: deep }), {});
    expect(lookup.outcome).toEqual({ status: 'skip', reason: 'uncacheable' });
    expect(lookup.store).toBeUndefined();
    expect(await metric('gateway_cache_skips_total{reason="uncacheable"}')).toBe(1);
    // The cache is not marked unavailable for everyone else.
    expect((await service.lookup(ask('hello'), {})).outcome.status).toBe('miss');
  });

  it('a prompt that NFKC expands past maxInputChars is not embedded', async () => {
    const { roundTrip, index } = setup({ semantic: 'on' });
    // 1,000 characters, 18,000 after NFKC: over the default 8,000.
    await roundTrip(ask('\ufdfa'.repeat(1_000)), 'a');
    expect(index.entryCount).toBe(0);
    await roundTrip(ask('\ufdfa'.repeat(100)), 'b');
    expect(index.entryCount).toBe(1);
  });

  it('the memory gauge counts the semantic index on a Redis-backed instance (item 18)', async () => {
    const entries = new Map<string, never>();
    const redisLike: ExactCacheStore = {
      kind: 'redis',
      get: (key) => Promise.resolve(entries.get(key)),
      set: () => Promise.resolve(),
      delete: () => Promise.resolve(),
      held: () => undefined,
    };
    const { roundTrip, metric, index } = setup({ semantic: 'on' }, redisLike);
    await roundTrip(ask('What is a monad?'), 'a');
    expect(index.approxBytes()).toBeGreaterThan(0);
    expect(await metric('gateway_cache_memory_bytes')).toBe(index.approxBytes());
    expect(await metric('gateway_cache_entries{layer="semantic"}')).toBe(1);
  });
});
