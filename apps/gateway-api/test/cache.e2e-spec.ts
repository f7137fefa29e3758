import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { UsageAnalytics, UsageWriter } from '@ai-gateway/core';
import { TcpProxy, UsageRepository } from '@ai-gateway/core/testing';
import OpenAI from 'openai';
import { randomUUID } from 'node:crypto';
import { createGatewayKey } from './gateway-admin';
import type { TestGateway } from './harness';
import { apiErrorOf, startGateway } from './harness';
import { REDIS_URL, TestRedis } from './test-redis';

const ADMIN_KEY = 'admin-cache-e2e-0123456789';

/** A cacheable request (temperature 0) with a prompt of its own. */
function ask(
  prompt: string,
  extra: Partial<OpenAI.ChatCompletionCreateParamsNonStreaming> = {},
): OpenAI.ChatCompletionCreateParamsNonStreaming {
  return {
    model: 'priced/m1',
    temperature: 0,
    messages: [{ role: 'user', content: prompt }],
    ...extra,
  };
}

async function metric(gateway: TestGateway, line: string): Promise<number> {
  const text = await (await fetch(`${gateway.url}/metrics`)).text();
  const found = text.split('\n').find((l) => l.startsWith(line + ' '));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

/** The usage row of the request sent with `x-request-id: clientId` (the caller's own id). */
async function rowOf(gateway: TestGateway, clientId: string) {
  await gateway.app.get(UsageWriter).flush();
  return gateway.app.get(UsageRepository).findByClientRequestId(clientId);
}

/** Text of a streamed answer and its chunk count, read with the official client. */
async function streamed(client: OpenAI, body: ReturnType<typeof ask>, headers = {}) {
  const { data: stream, response } = await client.chat.completions
    .create({ ...body, stream: true, stream_options: { include_usage: true } }, { headers })
    .withResponse();
  let text = '';
  let chunks = 0;
  let usage: OpenAI.CompletionUsage | undefined;
  let finish: string | null = null;
  for await (const chunk of stream) {
    chunks++;
    text += chunk.choices[0]?.delta?.content ?? '';
    finish = chunk.choices[0]?.finish_reason ?? finish;
    if (chunk.usage) usage = chunk.usage;
  }
  return { text, chunks, usage, finish, headers: response.headers };
}

/** Issue 6, "Must show" 1 and 4: the exact cache on both backends, over HTTP. */
describe.each([
  ['memory', { backend: 'memory' }],
  ['redis', { backend: 'redis' }],
] as const)('exact response cache, %s backend (e2e)', (backendName, backend) => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  let redis: TestRedis | undefined;
  const prefix = `e2e-cache-${backendName}-${randomUUID().slice(0, 8)}:`;

  beforeAll(async () => {
    fake = await startFakeProvider();
    if (backendName === 'redis') redis = await TestRedis.open(prefix);
    gateway = await startGateway(
      {
        providers: {
          priced: {
            kind: 'openai-compatible',
            baseUrl: `${fake.url}/v1`,
            models: ['m1'],
            maxRetries: 0,
            modelInfo: { m1: { inputCostPerMTok: 2.5, outputCostPerMTok: 10 } },
          },
        },
        routes: { brief: { targets: ['priced/m1'] } },
        cache: { ...backend, routes: { brief: { ttlSeconds: 1 } } },
        ...(backendName === 'redis' ? { redis: { url: REDIS_URL, keyPrefix: prefix } } : {}),
      },
      {},
    );
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
    await redis?.close();
  });
  beforeEach(() => fake.reset());

  it('misses, then hits: the same answer, no provider call, the saving in header, row and metrics', async () => {
    const prompt = `capital of France? ${randomUUID()}`;
    fake.enqueue({ text: 'Paris.', usage: { prompt: 1_000, completion: 100 } });
    const first = await gateway.client.chat.completions
      .create(ask(prompt), { headers: { 'x-request-id': `${prefix}miss` } })
      .withResponse();
    expect(first.response.headers.get('x-gateway-cache')).toBe('miss');
    expect(first.response.headers.get('x-gateway-cost-usd')).toBe('0.003500');
    const savedBefore = await metric(gateway, 'gateway_cache_saved_usd_total');

    // The store is in the background: the next identical request finds it.
    const second = await eventuallyHit(gateway, ask(prompt), `${prefix}hit`);
    expect(second.data.choices[0].message.content).toBe('Paris.');
    expect(second.data.id).toBe(first.data.id);
    expect(second.data.usage).toEqual(first.data.usage);
    expect(second.response.headers.get('x-gateway-cost-usd')).toBe('0.000000');
    expect(second.response.headers.get('x-gateway-cost-saved-usd')).toBe('0.003500');
    expect(second.response.headers.get('x-gateway-attempts')).toBe('0');
    expect(Number(second.response.headers.get('age'))).toBeGreaterThanOrEqual(0);
    expect(fake.requests).toHaveLength(1);

    expect(await rowOf(gateway, `${prefix}miss`)).toMatchObject({
      cacheStatus: 'miss',
      costMicroUsd: 3_500,
      costSavedMicroUsd: 0,
      promptTokens: 1_000,
    });
    expect(await rowOf(gateway, `${prefix}hit`)).toMatchObject({
      cacheStatus: 'hit',
      costMicroUsd: 0,
      costSavedMicroUsd: 3_500,
      promptTokens: 0,
      completionTokens: 0,
      attempts: 0,
      provider: 'priced',
      model: 'm1',
      status: 'ok',
    });
    expect(await metric(gateway, 'gateway_cache_saved_usd_total')).toBeCloseTo(
      savedBefore + 0.0035,
      9,
    );
    expect(
      await metric(gateway, 'gateway_cache_lookups_total{layer="exact",result="hit"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(
      await metric(gateway, 'gateway_cache_lookups_total{layer="exact",result="miss"}'),
    ).toBeGreaterThanOrEqual(1);
  });

  it('skips requests that are not deterministic or carry tools, and on request', async () => {
    const prompt = `tell me a joke ${randomUUID()}`;
    for (let i = 0; i < 2; i++) {
      const { response } = await gateway.client.chat.completions
        .create({ ...ask(prompt), temperature: 0.7 })
        .withResponse();
      expect(response.headers.get('x-gateway-cache')).toBe('skip');
      expect(response.headers.get('x-gateway-cache-reason')).toBe('not-deterministic');
    }
    const tools = [{ type: 'function' as const, function: { name: 'f', parameters: {} } }];
    const withTools = await gateway.client.chat.completions
      .create(ask(prompt, { tools }))
      .withResponse();
    expect(withTools.response.headers.get('x-gateway-cache-reason')).toBe('tools');
    // A seed makes sampling repeatable: cached even at temperature 0.7.
    await gateway.client.chat.completions.create({ ...ask(prompt), temperature: 0.7, seed: 7 });
    await eventuallyHit(gateway, { ...ask(prompt), temperature: 0.7, seed: 7 });

    const skipped = await gateway.client.chat.completions
      .create(
        { ...ask(prompt), temperature: 0.7, seed: 7 },
        { headers: { 'x-gateway-cache': 'skip' } },
      )
      .withResponse();
    expect(skipped.response.headers.get('x-gateway-cache')).toBe('skip');
    expect(skipped.response.headers.get('x-gateway-cache-reason')).toBe('requested');
    // 2 jokes + tools + the seeded miss + the skip reached the provider; the hit did not.
    expect(fake.requests).toHaveLength(5);
  });

  it('refresh (x-gateway-cache or Cache-Control: no-cache) fetches a new answer and stores it', async () => {
    const prompt = `weather report ${randomUUID()}`;
    fake.enqueue({ text: 'old answer' });
    await gateway.client.chat.completions.create(ask(prompt));
    await eventuallyHit(gateway, ask(prompt));

    fake.enqueue({ text: 'new answer' });
    const refreshed = await gateway.client.chat.completions
      .create(ask(prompt), { headers: { 'x-gateway-cache': 'refresh' } })
      .withResponse();
    expect(refreshed.response.headers.get('x-gateway-cache')).toBe('miss');
    expect(refreshed.data.choices[0].message.content).toBe('new answer');
    const after = await eventuallyHit(gateway, ask(prompt), undefined, 'new answer');
    expect(after.data.choices[0].message.content).toBe('new answer');

    fake.enqueue({ text: 'newest answer' });
    const noCache = await gateway.client.chat.completions
      .create(ask(prompt), { headers: { 'cache-control': 'no-cache' } })
      .withResponse();
    expect(noCache.data.choices[0].message.content).toBe('newest answer');
    await eventuallyHit(gateway, ask(prompt), undefined, 'newest answer');
  });

  it('no-store never stores; max-age refuses older entries; bad values are 400s', async () => {
    const prompt = `no store ${randomUUID()}`;
    await gateway.client.chat.completions.create(ask(prompt), {
      headers: { 'cache-control': 'no-store' },
    });
    await settle();
    const second = await gateway.client.chat.completions.create(ask(prompt)).withResponse();
    expect(second.response.headers.get('x-gateway-cache')).toBe('miss');
    await eventuallyHit(gateway, ask(prompt));
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    // The entry is older than a second now: max-age=0 refuses it, a fresh answer is fetched.
    const fresh = await gateway.client.chat.completions
      .create(ask(prompt), { headers: { 'cache-control': 'max-age=0' } })
      .withResponse();
    expect(fresh.response.headers.get('x-gateway-cache')).toBe('miss');
    const bad = await apiErrorOf(
      gateway.client.chat.completions.create(ask(prompt), {
        headers: { 'cache-control': 'max-age=soon' },
      }),
    );
    expect(bad.status).toBe(400);
    expect(bad.message).toContain('cache-control');
    const unknown = await apiErrorOf(
      gateway.client.chat.completions.create(ask(prompt), {
        headers: { 'x-gateway-cache': 'yes' },
      }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.code).toBe('invalid_request');
  });

  it('expires entries after the route TTL', async () => {
    const prompt = `short-lived ${randomUUID()}`;
    const body = { ...ask(prompt), model: 'brief' };
    await gateway.client.chat.completions.create(body);
    await settle();
    // TTL 1 s: past 1.5 s the entry is gone whatever the load (expiry is a time check).
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    const later = await gateway.client.chat.completions.create(body).withResponse();
    expect(later.response.headers.get('x-gateway-cache')).toBe('miss');
    expect(fake.requests).toHaveLength(2);
  });

  it('replays a cached answer as a proper SSE stream, and stores a completed stream', async () => {
    const prompt = `explain caching ${randomUUID()}`;
    fake.enqueue({
      text: 'A cache keeps answers so that the same question is answered without the model.',
      usage: { prompt: 20, completion: 16 },
    });
    const plain = await gateway.client.chat.completions.create(ask(prompt));
    await eventuallyHit(gateway, ask(prompt));
    const replay = await streamed(gateway.client, ask(prompt));
    expect(replay.headers.get('x-gateway-cache')).toBe('hit');
    expect(replay.headers.get('content-type')).toContain('text/event-stream');
    expect(replay.text).toBe(plain.choices[0].message.content);
    expect(replay.chunks).toBeGreaterThanOrEqual(4); // role, ≥ 2 content pieces, finish, usage
    expect(replay.finish).toBe('stop');
    expect(replay.usage).toEqual(plain.usage);

    const streamedPrompt = `stream me ${randomUUID()}`;
    fake.enqueue({ text: 'one two three four five', usage: { prompt: 9, completion: 5 } });
    const live = await streamed(gateway.client, ask(streamedPrompt));
    expect(live.headers.get('x-gateway-cache')).toBe('miss');
    const fromStream = await eventuallyHit(gateway, ask(streamedPrompt));
    expect(fromStream.data.choices[0].message.content).toBe('one two three four five');
    expect(fromStream.data.choices[0].finish_reason).toBe('stop');
    expect(fromStream.data.usage?.total_tokens).toBe(14);
  });

  it('caches nothing from failed or cut responses', async () => {
    const prompt = `fragile ${randomUUID()}`;
    fake.enqueue({ status: 500, errorMessage: 'boom' });
    expect((await apiErrorOf(gateway.client.chat.completions.create(ask(prompt)))).status).toBe(
      502,
    );
    fake.enqueue({ text: 'cut short after a few words', fault: 'disconnect', faultAfterChunks: 2 });
    await expect(streamed(gateway.client, ask(prompt))).rejects.toThrow();
    fake.enqueue({ text: 'an error event arrives', fault: 'error-event', faultAfterChunks: 2 });
    await expect(streamed(gateway.client, ask(prompt))).rejects.toThrow();
    await settle();
    const next = await gateway.client.chat.completions.create(ask(prompt)).withResponse();
    expect(next.response.headers.get('x-gateway-cache')).toBe('miss');
    expect(fake.requests).toHaveLength(4);
  });

  /** Polls until the request is a hit (the store runs after the answer is sent). */
  async function eventuallyHit(
    target: TestGateway,
    body: ReturnType<typeof ask>,
    requestId?: string,
    content?: string,
  ) {
    for (let i = 0; ; i++) {
      await settle();
      const result = await target.client.chat.completions
        .create(body, requestId ? { headers: { 'x-request-id': requestId } } : {})
        .withResponse();
      const hit = result.response.headers.get('x-gateway-cache') === 'hit';
      if (hit && (content === undefined || result.data.choices[0].message.content === content)) {
        return result;
      }
      if (i >= 20) throw new Error(`no cache hit after ${i + 1} tries`);
    }
  }
});

/** Lets the background store of the previous answer finish. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50));
}

describe('exact cache: memory bound and Redis outage (e2e)', () => {
  let fake: FakeProviderServer;
  beforeAll(async () => {
    fake = await startFakeProvider();
  });
  afterAll(() => fake.close());

  it('evicts least recently used entries at the size bound', async () => {
    const gateway = await startGateway({
      providers: {
        priced: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['m1'] },
      },
      // About 16 KB: a few entries of ~1.3 KB each (answer JSON + key + overhead).
      cache: { backend: 'memory', maxSizeMb: 0.016 },
    });
    try {
      const bound = 0.016 * 1024 * 1024;
      const prompts = Array.from({ length: 40 }, (_, i) => `entry ${i} ${'x'.repeat(600)}`);
      for (const prompt of prompts) {
        await gateway.client.chat.completions.create(ask(prompt));
        await settle();
      }
      const bytes = await metric(gateway, 'gateway_cache_memory_bytes');
      const entries = await metric(gateway, 'gateway_cache_entries{layer="exact"}');
      expect(bytes).toBeGreaterThan(bound / 2);
      expect(bytes).toBeLessThanOrEqual(bound);
      expect(entries).toBeGreaterThan(2);
      expect(entries).toBeLessThan(40);
      // The newest are kept, the oldest went first.
      const newest = await gateway.client.chat.completions.create(ask(prompts[39])).withResponse();
      expect(newest.response.headers.get('x-gateway-cache')).toBe('hit');
      const oldest = await gateway.client.chat.completions.create(ask(prompts[0])).withResponse();
      expect(oldest.response.headers.get('x-gateway-cache')).toBe('miss');
    } finally {
      await gateway.close();
    }
  });

  it('keeps tenants apart: key B never receives key A’s answer', async () => {
    const prefix = `e2e-cache-tenants-${randomUUID().slice(0, 8)}:`;
    const redis = await TestRedis.open(prefix);
    const gateway = await startGateway({
      providers: {
        priced: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['m1'] },
      },
      cache: { backend: 'redis' },
      redis: { url: REDIS_URL, keyPrefix: prefix },
      auth: { enabled: true, adminKey: ADMIN_KEY, hashSecret: 'cache-e2e-secret-0123456789' },
    });
    try {
      const a = await createGatewayKey(gateway.url, ADMIN_KEY, { name: 'tenant-a' });
      const b = await createGatewayKey(gateway.url, ADMIN_KEY, { name: 'tenant-b' });
      const asKey = (key: string) =>
        new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
      const prompt = `summarise my contract ${randomUUID()}`;
      fake.enqueue({ text: 'A-only confidential summary' });
      await asKey(a.key).chat.completions.create(ask(prompt));
      await settle();
      const asB = await asKey(b.key).chat.completions.create(ask(prompt)).withResponse();
      expect(asB.response.headers.get('x-gateway-cache')).toBe('miss');
      expect(asB.data.choices[0].message.content).not.toContain('A-only');
      // And key A itself hits.
      const againA = await asKey(a.key).chat.completions.create(ask(prompt)).withResponse();
      expect(againA.response.headers.get('x-gateway-cache')).toBe('hit');
      expect(againA.data.choices[0].message.content).toBe('A-only confidential summary');
    } finally {
      await gateway.close();
      await redis.close();
    }
  });

  it('Redis down: the cache is bypassed, requests succeed, a metric says so; back when Redis is', async () => {
    const proxy = new TcpProxy(6379);
    await proxy.start();
    const prefix = `e2e-cache-outage-${randomUUID().slice(0, 8)}:`;
    const redis = await TestRedis.open(prefix);
    const gateway = await startGateway({
      providers: {
        priced: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['m1'] },
      },
      cache: { backend: 'redis' },
      redis: { url: `redis://127.0.0.1:${proxy.port}`, keyPrefix: prefix, commandTimeoutMs: 200 },
    });
    try {
      const prompt = `outage ${randomUUID()}`;
      await gateway.client.chat.completions.create(ask(prompt));
      await settle();
      await proxy.stop();
      for (let i = 0; i < 5; i++) {
        const during = await gateway.client.chat.completions.create(ask(prompt)).withResponse();
        expect(during.response.status).toBe(200);
        expect(during.response.headers.get('x-gateway-cache')).toBe('skip');
        expect(during.response.headers.get('x-gateway-cache-reason')).toBe('unavailable');
      }
      expect(await metric(gateway, 'gateway_cache_skips_total{reason="unavailable"}')).toBe(5);
      expect(
        await metric(
          gateway,
          'gateway_cache_backend_errors_total{backend="redis",operation="lookup"}',
        ),
      ).toBeGreaterThanOrEqual(1);
      await proxy.start();
      // Back after the back-off and the reconnect: the entry stored before is served again.
      for (let i = 0; ; i++) {
        await new Promise((resolve) => setTimeout(resolve, 250));
        const after = await gateway.client.chat.completions.create(ask(prompt)).withResponse();
        if (after.response.headers.get('x-gateway-cache') === 'hit') break;
        if (i > 40) throw new Error('the cache did not come back after Redis did');
      }
    } finally {
      await gateway.close();
      await proxy.stop();
      await redis.close();
    }
  });
});

/** Issue 6: the semantic layer over HTTP, shared by two gateway instances through Redis. */
describe('semantic cache across instances (e2e)', () => {
  let fake: FakeProviderServer;
  let first: TestGateway;
  let second: TestGateway;
  let redis: TestRedis;
  const prefix = `e2e-semantic-${randomUUID().slice(0, 8)}:`;
  const resumeAsk = (prompt: string) => ({
    ...ask(prompt),
    messages: [
      { role: 'system' as const, content: 'You are a careful career coach.' },
      { role: 'user' as const, content: prompt },
    ],
  });

  beforeAll(async () => {
    fake = await startFakeProvider();
    redis = await TestRedis.open(prefix);
    const config = {
      providers: {
        priced: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['m1'] },
      },
      cache: { backend: 'redis', semantic: 'on' },
      redis: { url: REDIS_URL, keyPrefix: prefix },
    };
    first = await startGateway(config);
    second = await startGateway(config);
  });
  afterAll(async () => {
    await first.close();
    await second.close();
    await fake.close();
    await redis.close();
  });

  it('serves a paraphrase stored by the other instance, says the similarity; refuses a changed number', async () => {
    fake.enqueue({ text: 'Lead with impact: numbers, scope, ownership.' });
    await first.client.chat.completions.create(
      resumeAsk('How should I describe my experience as a senior backend engineer on my resume?'),
    );
    await settle();
    const paraphrase = await second.client.chat.completions
      .create(
        resumeAsk('how should i describe my experience as a senior backend engineer on my CV'),
      )
      .withResponse();
    expect(paraphrase.response.headers.get('x-gateway-cache')).toBe('semantic-hit');
    const similarity = Number(paraphrase.response.headers.get('x-gateway-cache-similarity'));
    expect(similarity).toBeGreaterThanOrEqual(0.8);
    expect(similarity).toBeLessThan(1);
    expect(paraphrase.data.choices[0].message.content).toBe(
      'Lead with impact: numbers, scope, ownership.',
    );
    expect(fake.requests).toHaveLength(1);

    fake.enqueue({ text: 'Seven years: say so plainly.' });
    await second.client.chat.completions.create(
      resumeAsk('Write a resume summary for a nurse with 7 years of experience in intensive care.'),
    );
    await settle();
    const changed = await first.client.chat.completions
      .create(
        resumeAsk(
          'Write a resume summary for a nurse with 2 years of experience in intensive care.',
        ),
      )
      .withResponse();
    expect(changed.response.headers.get('x-gateway-cache')).toBe('miss');
    expect(changed.data.choices[0].message.content).not.toContain('Seven');
  });
});

describe('semantic cache with a provider embedder (e2e)', () => {
  it('embeds through the gateway’s own provider path and serves the match', async () => {
    const fake = await startFakeProvider();
    const gateway = await startGateway({
      providers: {
        priced: {
          kind: 'openai-compatible',
          baseUrl: `${fake.url}/v1`,
          models: ['m1', 'text-embedding-fake'],
        },
      },
      cache: {
        backend: 'memory',
        semantic: 'on',
        semanticCache: { embedder: 'priced/text-embedding-fake' },
      },
    });
    try {
      fake.enqueue({ text: 'Paris.' }, 1, { operation: 'chat' });
      await gateway.client.chat.completions.create(ask('What is the capital of France?'), {
        headers: { 'x-request-id': 'embedder-1' },
      });
      await settle();
      // The fake embeds words regardless of case and punctuation: the same vector.
      const again = await gateway.client.chat.completions
        .create(ask('what is the capital of france'))
        .withResponse();
      expect(again.response.headers.get('x-gateway-cache')).toBe('semantic-hit');
      expect(again.response.headers.get('x-gateway-cache-similarity')).toBe('1.0000');
      expect(again.data.choices[0].message.content).toBe('Paris.');
      const calls = fake.requests.map((r) => r.model);
      expect(calls.filter((m) => m === 'text-embedding-fake')).toHaveLength(2);
      expect(calls.filter((m) => m === 'm1')).toHaveLength(1);
      // The embedding calls are logged like any other, under their own task.
      await gateway.app.get(UsageWriter).flush();
      const page = await gateway.app
        .get(UsageAnalytics)
        .requests({ task: 'cache-embedding', limit: 10 });
      expect(page.data).toHaveLength(2);
      expect(page.data[0]).toMatchObject({ model: 'text-embedding-fake', status: 'ok' });
    } finally {
      await gateway.close();
      await fake.close();
    }
  });
});
