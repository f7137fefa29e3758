import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { GatewayMetrics } from '@ai-gateway/core';
import OpenAI from 'openai';
import { randomUUID } from 'node:crypto';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { createGatewayKey } from './gateway-admin';
import type { TestGateway } from './harness';
import { startGateway } from './harness';
import { REDIS_URL, TestRedis } from './test-redis';

/*
 * Issue 13, items 15 and 18: the response cache against a tenant who probes it. A chain
 * override never gets another model's cached answer; a semantic scope costs a few KB, not a
 * preallocated slab; a tenant's scopes are capped so it recycles its own; and a Redis-backed
 * instance reports the memory its semantic mirror holds.
 */

const ADMIN_KEY = 'admin-hardening-cache-0123456789';
const auth = {
  enabled: true,
  adminKey: ADMIN_KEY,
  hashSecret: 'hardening-cache-secret-0123456789',
};

/** A garbage collection on demand (jest runs without --expose-gc): memory is measured live. */
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as () => void;

function ask(
  prompt: string,
  system = 'You are terse.',
): OpenAI.ChatCompletionCreateParamsNonStreaming {
  return {
    model: 'up1/m1',
    temperature: 0,
    messages: [
      { role: 'system', content: system },
      { role: 'user', content: prompt },
    ],
  };
}

async function metric(gateway: TestGateway, line: string): Promise<number> {
  const text = await gateway.app.get(GatewayMetrics).render();
  const found = text.split('\n').find((l) => l.startsWith(line + ' '));
  return found ? Number(found.slice(line.length + 1)) : 0;
}

/** Lets the background store of the previous answer finish. */
function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 50));
}

function clientOf(gateway: TestGateway, key: string): OpenAI {
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
}

jest.setTimeout(60_000);

describe('hardening: response cache (e2e)', () => {
  let fake: FakeProviderServer;
  const providers = () => ({
    up1: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['m1'], maxRetries: 0 },
    up2: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['m2'], maxRetries: 0 },
  });

  beforeAll(async () => {
    fake = await startFakeProvider();
  });
  afterAll(async () => {
    await fake.close();
  });
  beforeEach(() => fake.reset());

  describe.each(['memory', 'redis'] as const)('item 15, %s backend', (backend) => {
    it('same tenant, same body, another x-gateway-chain: no cross-model hit', async () => {
      const prefix = `e2e-hardening-cache-15-${randomUUID().slice(0, 8)}:`;
      const redis = backend === 'redis' ? await TestRedis.open(prefix) : undefined;
      const gateway = await startGateway({
        providers: providers(),
        cache: { backend },
        auth,
        ...(redis ? { redis: { url: REDIS_URL, keyPrefix: prefix } } : {}),
      });
      try {
        const tenant = clientOf(
          gateway,
          (await createGatewayKey(gateway.url, ADMIN_KEY, { name: 'tenant' })).key,
        );
        const body = ask(`Name a colour ${randomUUID()}`);
        const viaChain = (chain: string) =>
          tenant.chat.completions
            .create(body, { headers: { 'x-gateway-chain': chain } })
            .withResponse();

        fake.enqueue({ text: 'answer of m1' });
        const first = await viaChain('up1/m1');
        expect(first.response.headers.get('x-gateway-cache')).toBe('miss');
        expect(first.data.choices[0].message.content).toBe('answer of m1');
        await settle();

        fake.enqueue({ text: 'answer of m2' });
        const second = await viaChain('up2/m2');
        expect(second.response.headers.get('x-gateway-cache')).toBe('miss');
        expect(second.data.choices[0].message.content).toBe('answer of m2');
        expect(fake.requests.map((r) => r.model)).toEqual(['m1', 'm2']);
        await settle();

        // The body's own `gateway.chain` is the same override, with the same key.
        const inBody = await tenant.chat.completions
          .create({ ...body, gateway: { chain: ['up2/m2'] } } as typeof body)
          .withResponse();
        expect(inBody.response.headers.get('x-gateway-cache')).toBe('hit');
        expect(inBody.data.choices[0].message.content).toBe('answer of m2');
        // Each chain still finds its own answer.
        const again = await viaChain('up1/m1');
        expect(again.response.headers.get('x-gateway-cache')).toBe('hit');
        expect(again.data.choices[0].message.content).toBe('answer of m1');
        expect(fake.requests).toHaveLength(2);
      } finally {
        await gateway.close();
        await redis?.close();
      }
    });
  });

  it('item 18: a new semantic scope costs a few KB (300 random system prompts)', async () => {
    const gateway = await startGateway({
      providers: providers(),
      cache: { backend: 'memory', semantic: 'on' },
    });
    try {
      const send = (i: number) =>
        gateway.client.chat.completions.create(
          ask('What is the capital of France?', `You are assistant ${randomUUID()} #${i}.`),
        );
      // Warm-up: the gateway's own first-request allocations are not a scope's.
      for (let i = 0; i < 20; i++) await send(i);
      await settle();
      collectGarbage();
      const before = process.memoryUsage().arrayBuffers;
      const entriesBefore = await metric(gateway, 'gateway_cache_entries{layer="semantic"}');
      // Ten at a time: a tenant's burst, and a run that stays short on a busy machine.
      for (let i = 0; i < 300; i += 10) {
        await Promise.all(Array.from({ length: 10 }, (_, j) => send(i + j)));
      }
      await settle();
      collectGarbage();
      const perScope = (process.memoryUsage().arrayBuffers - before) / 300;
      expect(await metric(gateway, 'gateway_cache_entries{layer="semantic"}')).toBe(
        entriesBefore + 300,
      );
      // One 384-dimension vector is 1.5 KB; HEAD preallocated 64 of them (~99 KB) per scope.
      expect(perScope).toBeLessThan(20 * 1_024);
      // The gauge counts the semantic index beside the exact entries.
      expect(await metric(gateway, 'gateway_cache_memory_bytes')).toBeGreaterThan(
        (entriesBefore + 300) * 1_536,
      );
    } finally {
      await gateway.close();
    }
  });

  it('item 18: a tenant’s scopes are capped; another tenant’s survive its flood', async () => {
    const gateway = await startGateway({
      providers: providers(),
      cache: { backend: 'memory', semantic: 'on', semanticCache: { maxScopesPerTenant: 20 } },
      auth,
    });
    try {
      const a = clientOf(
        gateway,
        (await createGatewayKey(gateway.url, ADMIN_KEY, { name: 'a' })).key,
      );
      const b = clientOf(
        gateway,
        (await createGatewayKey(gateway.url, ADMIN_KEY, { name: 'b' })).key,
      );
      await b.chat.completions.create(ask('How do I reverse a list in Python?', 'B’s prompt'));
      for (let i = 0; i < 60; i++) {
        await a.chat.completions.create(
          ask('What is 2+2?', `random system prompt ${randomUUID()}`),
        );
      }
      await settle();
      expect(await metric(gateway, 'gateway_cache_entries{layer="semantic"}')).toBe(21);
      // B's scope outlived A's 60 scopes: a paraphrase is still served from it.
      const paraphrase = await b.chat.completions
        .create(ask('how to reverse a list in python', 'B’s prompt'))
        .withResponse();
      expect(paraphrase.response.headers.get('x-gateway-cache')).toBe('semantic-hit');
    } finally {
      await gateway.close();
    }
  });

  it('item 18: on the Redis backend the gauges count the semantic mirror', async () => {
    const prefix = `e2e-hardening-cache-18-${randomUUID().slice(0, 8)}:`;
    const redis = await TestRedis.open(prefix);
    const gateway = await startGateway({
      providers: providers(),
      cache: { backend: 'redis', semantic: 'on' },
      redis: { url: REDIS_URL, keyPrefix: prefix },
    });
    try {
      const topic = randomUUID().slice(0, 8);
      await gateway.client.chat.completions.create(
        ask(`How do I reverse a list in Python? Project ${topic}`),
      );
      await settle();
      // The next lookup in that scope reads the entry into this instance's mirror.
      const paraphrase = await gateway.client.chat.completions
        .create(ask(`how to reverse a list in python, project ${topic}`))
        .withResponse();
      expect(paraphrase.response.headers.get('x-gateway-cache')).toBe('semantic-hit');
      expect(await metric(gateway, 'gateway_cache_entries{layer="semantic"}')).toBe(1);
      expect(await metric(gateway, 'gateway_cache_memory_bytes')).toBeGreaterThanOrEqual(1_536);
    } finally {
      await gateway.close();
      await redis.close();
    }
  });
});
