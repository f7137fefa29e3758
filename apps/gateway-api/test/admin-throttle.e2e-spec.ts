import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { GatewayConfigService, RedisConnection, loadGatewayConfig } from '@ai-gateway/core';
import OpenAI from 'openai';
import { randomBytes } from 'node:crypto';
import { pollUntil } from './gateway-process';
import type { TestGateway } from './harness';
import { startGateway } from './harness';
import { REDIS_URL } from './test-redis';

const ADMIN_KEY = 'admin-throttle-canary-0123456789';
const LIMIT = 3;
const ask = { messages: [{ role: 'user' as const, content: 'hello' }] };

interface Answer {
  status: number;
  headers: Headers;
  body: { error?: Record<string, unknown>; key?: string };
}

/**
 * Issue 5 (part): `@nestjs/throttler` on the admin and usage APIs, counted on the shared
 * Redis: per route and per verified caller, 429 in OpenAI's shape with Retry-After past
 * the limit; model routes never counted.
 */
describe('admin and usage API throttling (e2e)', () => {
  const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  let redis: RedisConnection;
  let gatewayKey: string;

  const call = async (method: string, path: string, key: string | null): Promise<Answer> => {
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(method === 'POST' ? { 'content-type': 'application/json' } : {}),
      },
      body: method === 'POST' ? JSON.stringify({ name: 'throttle e2e' }) : undefined,
    });
    return {
      status: response.status,
      headers: response.headers,
      body: (await response.json()) as never,
    };
  };
  const statuses = async (count: number, path: string, key: string | null): Promise<number[]> => {
    const seen: number[] = [];
    for (let i = 0; i < count; i++) seen.push((await call('GET', path, key)).status);
    return seen;
  };
  /** Throttler records the gateway keeps in Redis under this run's prefix. */
  const throttleRecords = async (): Promise<number> =>
    Number(
      await redis.run(
        { name: 'test-count-keys', source: "return #redis.call('KEYS', ARGV[1])" },
        [],
        [`${redis.key('throttle')}:*`],
      ),
    );

  beforeAll(async () => {
    fake = await startFakeProvider();
    gateway = await startGateway({
      providers: {
        cheap: {
          kind: 'openai-compatible',
          baseUrl: `${fake.url}/v1`,
          models: ['c-model'],
          maxRetries: 0,
        },
      },
      auth: { enabled: true, adminKey: ADMIN_KEY, hashSecret: 'hash-secret-for-tests-0123456789' },
      redis: { url: REDIS_URL, keyPrefix },
      rateLimits: { adminRequestsPerMinute: LIMIT },
    });
    redis = new RedisConnection(
      new GatewayConfigService(
        loadGatewayConfig({ config: { redis: { url: REDIS_URL, keyPrefix } }, env: {} }),
      ),
    );
    await pollUntil(
      () => redis.ready,
      (ready) => ready,
      { timeoutMs: 5_000, everyMs: 10 },
    );
    const created = await call('POST', '/v1/admin/keys', ADMIN_KEY);
    expect(created.status).toBe(201);
    gatewayKey = created.body.key as string;
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
    if (redis) {
      const source = `
local keys = redis.call('KEYS', ARGV[1])
for i = 1, #keys do redis.call('DEL', keys[i]) end
return #keys`;
      await redis.run({ name: 'test-drop-prefix', source }, [], [`${redis.key()}*`]);
      await redis.onModuleDestroy();
    }
  });

  it(`answers the admin call after ${LIMIT} a minute with 429 in OpenAI's shape and Retry-After`, async () => {
    expect(await statuses(LIMIT, '/v1/admin/keys', ADMIN_KEY)).toEqual([200, 200, 200]);
    const refused = await call('GET', '/v1/admin/keys', ADMIN_KEY);
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      error: {
        message: `Rate limit reached for this endpoint: ${LIMIT} requests per 60 s per caller. Try again in 1m0s.`,
        type: 'rate_limit_error',
        param: null,
        code: 'rate_limit_exceeded',
      },
    });
    // The block lasts the window: a minute, in whole seconds and in ms.
    expect(refused.headers.get('retry-after')).toBe('60');
    expect(refused.headers.get('retry-after-ms')).toBe('60000');
    expect([...refused.headers.keys()].filter((name) => /ratelimit/i.test(name))).toEqual([]);
    // Counted in the shared Redis (the create in beforeAll and this route: two records).
    expect(await throttleRecords()).toBe(2);
    // Still refused, and the admin key is in no log line.
    expect((await call('GET', '/v1/admin/keys', ADMIN_KEY)).status).toBe(429);
    expect(gateway.logs.join('\n')).not.toContain(ADMIN_KEY);
    expect(gateway.logs.join('\n')).not.toContain(gatewayKey);
  });

  it('counts per route and per verified caller; made-up keys are refused by auth, not counted', async () => {
    expect(await statuses(LIMIT + 1, '/v1/usage/summary', gatewayKey)).toEqual([
      200, 200, 200, 429,
    ]);
    // Another caller on that route, and the same caller on another route, still pass.
    expect(await statuses(1, '/v1/usage/summary', ADMIN_KEY)).toEqual([200]);
    expect(await statuses(1, '/v1/usage/requests', gatewayKey)).toEqual([200]);
    const records = await throttleRecords();
    const madeUp = Array.from({ length: 5 }, (_, i) => `gk_made_up_${i}_0123456789abcdefghij`);
    for (const key of madeUp)
      expect((await call('GET', '/v1/usage/summary', key)).status).toBe(401);
    expect(await throttleRecords()).toBe(records);
  });

  it('never throttles model calls, whatever the admin and usage counts', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: gatewayKey, maxRetries: 0 });
    const records = await throttleRecords();
    for (let i = 0; i < 3 * LIMIT; i++) {
      const { data, response } = await client.chat.completions
        .create({ model: 'cheap/c-model', ...ask })
        .withResponse();
      expect(data.choices[0].message.content).toEqual(expect.any(String));
      expect(response.headers.get('retry-after')).toBeNull();
    }
    expect((await client.models.list()).data.length).toBeGreaterThan(0);
    expect(await throttleRecords()).toBe(records);
    expect((await call('GET', '/v1/admin/keys', ADMIN_KEY)).status).toBe(429);
  });
});
