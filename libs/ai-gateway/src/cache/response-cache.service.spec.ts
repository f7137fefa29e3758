import { Logger } from '@nestjs/common';
import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { CallOptions, ResponseMeta } from '../shared/call-result';
import type { ChatRequest } from '../types/unified';
import { answerOf, noProviderEmbeddings } from './cache.fixtures';
import { CacheMetrics } from './cache.metrics';
import type { CachedResponse, ExactCacheStore } from './cached-response';
import { MemoryExactCacheStore } from './exact/memory-exact-cache.store';
import type { CacheLookup } from './response-cache.service';
import { CACHE_BACKOFF_MS, ResponseCache } from './response-cache.service';
import { SemanticIndex } from './semantic/semantic-index';
import { MemorySemanticStore } from './semantic/semantic-store';
import { SemanticLayer } from './semantic/semantic-layer';

const meta = (requestId: string): ResponseMeta => ({
  requestId,
  provider: 'p',
  model: 'm',
  fake: false,
  attempts: [],
  latencyMs: 5,
  usage: { prompt: 10, completion: 5 },
  costMicroUsd: 1_234,
});

const ask = (content: string, extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'm',
  temperature: 0,
  messages: [
    { role: 'system', content: 'You are a recruiter.' },
    { role: 'user', content },
  ],
  ...extra,
});

/** A cache on memory stores with a hand-moved clock. */
function setup(cache: Record<string, unknown> = {}, exact?: ExactCacheStore) {
  let now = 1_000_000;
  const clock = { now: () => now };
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
  /** Looks up, and on a miss stores `text` as the answer (stores finish before returning). */
  const roundTrip = async (
    body: ChatRequest,
    text: string,
    options: CallOptions = {},
  ): Promise<CacheLookup> => {
    const lookup = await service.lookup(body, { requestId: `r-${now}`, ...options });
    if (!lookup.hit) {
      service.store(lookup, answerOf(text), meta(`r-${now}`));
      await new Promise((resolve) => setImmediate(resolve));
    }
    return lookup;
  };
  const metric = async (line: string): Promise<number> => {
    const found = (await metrics.render()).split('\n').find((l) => l.startsWith(line + ' '));
    return found ? Number(found.slice(line.length + 1)) : 0;
  };
  return { service, roundTrip, metric, advance: (ms: number) => (now += ms), index };
}

describe('ResponseCache', () => {
  it('exact: miss, store, hit with the age and the saving; a copy each time', async () => {
    const { service, roundTrip, advance } = setup();
    expect((await roundTrip(ask('hello'), 'hi there')).outcome).toEqual({ status: 'miss' });
    advance(4_500);
    const hit = await service.lookup(ask('hello'), {});
    expect(hit.outcome).toEqual({ status: 'hit', ageSeconds: 4, savedMicroUsd: 1_234 });
    expect(hit.hit?.response.choices[0].message.content).toBe('hi there');
    hit.hit!.response.choices[0].message.content = 'changed by the caller';
    const again = await service.lookup(ask('hello'), {});
    expect(again.hit?.response.choices[0].message.content).toBe('hi there');
  });

  it('stores only complete answers', async () => {
    const { service } = setup();
    const lookup = await service.lookup(ask('cut'), {});
    const cut = answerOf('half an ans');
    (cut.choices[0] as { finish_reason: unknown }).finish_reason = null;
    service.store(lookup, cut, meta('r'));
    await new Promise((resolve) => setImmediate(resolve));
    expect((await service.lookup(ask('cut'), {})).outcome.status).toBe('miss');
  });

  it('semantic: a paraphrase is served with its similarity; a changed number is not', async () => {
    const { service, roundTrip, metric } = setup({ semantic: 'on' });
    await roundTrip(ask('How do I write a cover letter for a senior Python developer job?'), 'A');
    const paraphrase = await service.lookup(
      ask('how can I write a cover letter for a senior python developer job'),
      {},
    );
    expect(paraphrase.outcome.status).toBe('semantic-hit');
    expect(paraphrase.outcome.similarity).toBeGreaterThanOrEqual(0.8);
    expect(paraphrase.hit?.response.choices[0].message.content).toBe('A');

    const summary = (n: number) =>
      `Write a professional summary of this candidate resume for a recruiter in ${n} short bullet points.`;
    await roundTrip(ask(summary(3)), 'three');
    // Similar enough (0.885 ≥ 0.80) — only the guard stands between 5 and the answer for 3.
    const number = await service.lookup(ask(summary(5)), {});
    expect(number.outcome.status).toBe('miss');
    const negation = await service.lookup(
      ask('How do I not write a cover letter for a senior Python developer job?'),
      {},
    );
    expect(negation.outcome.status).toBe('miss');
    const qualifier = await service.lookup(
      ask('How do I write a cover letter for a junior Python developer job?'),
      {},
    );
    expect(qualifier.outcome.status).toBe('miss');
    expect(await metric('gateway_cache_semantic_refusals_total{reason="number"}')).toBe(1);
    expect(await metric('gateway_cache_semantic_refusals_total{reason="negation"}')).toBe(1);
    expect(await metric('gateway_cache_semantic_refusals_total{reason="qualifier"}')).toBe(1);
    expect(await metric('gateway_cache_lookups_total{layer="semantic",result="hit"}')).toBe(1);
  });

  it('semantic: searches only the same scope (tenant, system prompt, parameters)', async () => {
    const { service, roundTrip } = setup({ semantic: 'on' });
    const prompt = 'What should a data analyst put on a resume?';
    const reworded = 'what should a data analyst put on their resume';
    await roundTrip(ask(prompt), 'A', { caller: { keyId: 'a' } });
    const status = async (body: ChatRequest, options: CallOptions = {}) =>
      (await service.lookup(body, options)).outcome.status;
    expect(await status(ask(reworded), { caller: { keyId: 'a' } })).toBe('semantic-hit');
    expect(await status(ask(reworded), { caller: { keyId: 'b' } })).toBe('miss');
    expect(await status(ask(reworded, { max_tokens: 50 }), { caller: { keyId: 'a' } })).toBe(
      'miss',
    );
    const otherSystem: ChatRequest = {
      ...ask(reworded),
      messages: [
        { role: 'system', content: 'You are a pirate.' },
        { role: 'user', content: reworded },
      ],
    };
    expect(await status(otherSystem, { caller: { keyId: 'a' } })).toBe('miss');
    // Resume tasks ask for exact matches only.
    expect(
      await status(ask(reworded), { caller: { keyId: 'a' }, cache: { semantic: false } }),
    ).toBe('miss');
  });

  it('semantic shadow mode: logs and counts the would-be hit, serves nothing', async () => {
    const { service, roundTrip, metric } = setup({ semantic: 'shadow' });
    const logged: unknown[] = [];
    const spy = jest.spyOn(Logger.prototype, 'log').mockImplementation((message: unknown) => {
      logged.push(message);
    });
    try {
      await roundTrip(ask('List the skills a nurse needs.'), 'A');
      const lookup = await service.lookup(ask('list the skills that a nurse needs'), {
        requestId: 'shadow-1',
      });
      expect(lookup.outcome.status).toBe('miss');
      expect(lookup.hit).toBeUndefined();
      expect(
        await metric('gateway_cache_lookups_total{layer="semantic",result="shadow_hit"}'),
      ).toBe(1);
      expect(logged).toEqual([
        expect.objectContaining({
          msg: 'semantic cache: shadow hit (not served)',
          requestId: 'shadow-1',
          matchedRequestId: expect.stringMatching(/^r-/),
          similarity: expect.any(Number),
        }),
      ]);
      expect(JSON.stringify(logged)).not.toContain('nurse');
    } finally {
      spy.mockRestore();
    }
  });

  it('semantic: an entry whose answer is gone stops matching', async () => {
    const { service, roundTrip, advance, index } = setup({ semantic: 'on', ttlSeconds: 60 });
    await roundTrip(ask('Explain what a pull request is.'), 'A');
    expect(index.entryCount).toBe(1);
    advance(61_000);
    expect((await service.lookup(ask('explain what a pull request is'), {})).outcome.status).toBe(
      'miss',
    );
    expect(index.entryCount).toBe(0);
  });

  it('a failing backend is bypassed for the back-off, then tried again', async () => {
    let failing = true;
    let calls = 0;
    const store: ExactCacheStore = {
      kind: 'redis',
      get: () => {
        calls++;
        return failing
          ? Promise.reject(new Error('connection is closed'))
          : Promise.resolve(undefined);
      },
      set: (_key: string, _entry: CachedResponse) => Promise.resolve(),
      delete: () => Promise.resolve(),
      held: () => undefined,
    };
    const { service, advance, metric } = setup({}, store);
    jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    expect((await service.lookup(ask('x'), {})).outcome).toEqual({
      status: 'skip',
      reason: 'unavailable',
    });
    expect((await service.lookup(ask('x'), {})).outcome.reason).toBe('unavailable');
    expect(calls).toBe(1); // the second never reached the store
    failing = false;
    advance(CACHE_BACKOFF_MS);
    expect((await service.lookup(ask('x'), {})).outcome).toEqual({ status: 'miss' });
    expect(calls).toBe(2);
    expect(await metric('gateway_cache_skips_total{reason="unavailable"}')).toBe(2);
    expect(
      await metric('gateway_cache_backend_errors_total{backend="redis",operation="lookup"}'),
    ).toBe(1);
    jest.restoreAllMocks();
  });
});
