import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { UsageWriter } from '@ai-gateway/core';
import OpenAI from 'openai';
import type { TestGateway } from './harness';
import { startGateway } from './harness';

const ADMIN_KEY = 'admin-console-apis-0123456789abcdef';

/**
 * Issue 16: the APIs the operator console reads beside the existing ones — one request of
 * the usage log, the budgets with their spending, the rate limits per scope, the jobs per
 * state — with the same access rules and error shapes as every other route.
 */
describe('console APIs (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  let keyA: { id: string; key: string };
  let keyB: { id: string; key: string };

  const call = async (path: string, key: string | null = ADMIN_KEY) => {
    const response = await fetch(`${gateway.url}${path}`, {
      headers: key ? { authorization: `Bearer ${key}` } : {},
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of several shapes, asserted below
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const issue = async (body: Record<string, unknown>) => {
    const response = await fetch(`${gateway.url}/v1/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    const issued = (await response.json()) as { id: string; key: string };
    if (response.status !== 201) throw new Error(`key not issued: ${JSON.stringify(issued)}`);
    return issued;
  };

  beforeAll(async () => {
    fake = await startFakeProvider();
    gateway = await startGateway({
      auth: { enabled: true, adminKey: ADMIN_KEY, hashSecret: 'console-apis-secret-0123456789' },
      providers: {
        vllm: {
          kind: 'openai-compatible',
          baseUrl: `${fake.url}/v1`,
          models: ['m1'],
          budget: { dailyUsd: 5 },
          modelInfo: { m1: { inputCostPerMTok: 10, outputCostPerMTok: 10 } },
        },
      },
      budgets: { users: { alice: { monthlyUsd: 10 } }, defaultTeam: { dailyUsd: 2 } },
      rateLimits: {
        global: { requestsPerMinute: 1_000 },
        users: { alice: { requestsPerMinute: 60, tokensPerMinute: 10_000 } },
        models: { m1: { concurrentRequests: 8 } },
      },
    });
    keyA = await issue({ name: 'a', userId: 'alice', teamId: 'red', budget: { dailyUsd: 1 } });
    keyB = await issue({ name: 'b', limits: { requestsPerMinute: 5 } });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });

  it('GET /v1/usage/requests/:id: the row by its x-request-id, for its own key and the admin only', async () => {
    const client = new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: keyA.key, maxRetries: 0 });
    const { response } = await client.chat.completions
      .create({ model: 'vllm/m1', max_tokens: 50, messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    const requestId = response.headers.get('x-request-id')!;
    await gateway.app.get(UsageWriter).flush();

    const mine = await call(`/v1/usage/requests/${requestId}`, keyA.key);
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({
      requestId,
      keyId: keyA.id,
      userId: 'alice',
      provider: 'vllm',
      model: 'm1',
      status: 'ok',
      ingress: 'chat.completions',
    });
    expect((await call(`/v1/usage/requests/${requestId}`)).body).toEqual(mine.body);
    // logging.logPrompts is off (the default): no prompt text is kept.
    expect(mine.body.promptText).toBeNull();
    // Another key: a 404 like a request that does not exist, in the OpenAI error shape.
    const theirs = await call(`/v1/usage/requests/${requestId}`, keyB.key);
    expect(theirs.status).toBe(404);
    expect(theirs.body.error).toMatchObject({ param: 'id' });
    expect((await call('/v1/usage/requests/nope')).status).toBe(404);
    expect((await call(`/v1/usage/requests/${'x'.repeat(90)}`)).status).toBe(404);
    // Past Fastify's parameter length: refused before any lookup.
    expect((await call(`/v1/usage/requests/${'x'.repeat(300)}`)).status).toBe(414);
    expect((await call('/v1/usage/requests/%27%20OR%201%3D1--')).status).toBe(404);
    expect((await call(`/v1/usage/requests/${requestId}`, null)).status).toBe(401);
    // The cache filter of the list, and a bad value of it.
    expect((await call('/v1/usage/requests?cache=miss')).status).toBe(200);
    const badCache = await call('/v1/usage/requests?cache=%00');
    expect(badCache.status).toBe(400);
    expect(badCache.body.error.param).toBe('cache');
  });

  it('keeps the last user message only while logging.logPrompts is on', async () => {
    const logging = await startGateway({
      logging: { level: 'info', logPrompts: true },
      providers: { vllm: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['m1'] } },
    });
    try {
      const { response } = await logging.client.chat.completions
        .create({
          model: 'vllm/m1',
          messages: [
            { role: 'user', content: 'first question' },
            { role: 'assistant', content: 'an answer' },
            { role: 'user', content: [{ type: 'text', text: 'second\nquestion' }] },
          ],
        })
        .withResponse();
      await logging.app.get(UsageWriter).flush();
      const detail = await fetch(
        `${logging.url}/v1/usage/requests/${response.headers.get('x-request-id')}`,
      );
      expect(((await detail.json()) as { promptText: string }).promptText).toBe('second\nquestion');
    } finally {
      await logging.close();
    }
  });

  it('GET /v1/admin/budgets: every configured budget with its spending, for the admin key only (a gateway key: 401, as on every admin route)', async () => {
    const { status, body } = await call('/v1/admin/budgets');
    expect(status).toBe(200);
    const rows = body.data as Array<Record<string, unknown>>;
    const find = (scope: string, id: string) => rows.find((r) => r.scope === scope && r.id === id);
    expect(find('provider', 'vllm')).toMatchObject({
      window: 'daily',
      limitUsd: 5,
      source: 'config',
    });
    expect(find('user', 'alice')).toMatchObject({ window: 'monthly', limitUsd: 10 });
    expect(find('team', 'red')).toMatchObject({ window: 'daily', limitUsd: 2, source: 'default' });
    const key = find('key', keyA.id);
    expect(key).toMatchObject({ window: 'daily', limitUsd: 1, source: 'key' });
    // The request above cost money: it shows as spent on the key, the user and the provider.
    expect(key?.spentUsd).toBeGreaterThan(0);
    expect(find('user', 'alice')?.spentUsd).toBe(key?.spentUsd);
    expect(typeof key?.resetsAt).toBe('string');
    expect((await call('/v1/admin/budgets', keyA.key)).status).toBe(401);
    expect((await call('/v1/admin/budgets', null)).status).toBe(401);
  });

  it('GET /v1/admin/limits: the rate limits per scope, the keys own included', async () => {
    const { status, body } = await call('/v1/admin/limits');
    expect(status).toBe(200);
    expect(body.data).toEqual(
      expect.arrayContaining([
        { scope: 'global', id: null, limits: { requestsPerMinute: 1_000 }, source: 'config' },
        {
          scope: 'user',
          id: 'alice',
          limits: { requestsPerMinute: 60, tokensPerMinute: 10_000 },
          source: 'config',
        },
        { scope: 'model', id: 'm1', limits: { concurrentRequests: 8 }, source: 'config' },
        { scope: 'key', id: keyB.id, limits: { requestsPerMinute: 5 }, source: 'key' },
      ]),
    );
    expect((await call('/v1/admin/limits', keyB.key)).status).toBe(401);
  });

  it('GET /v1/jobs/counts: jobs per state, the operator view', async () => {
    const { status, body } = await call('/v1/jobs/counts');
    expect(status).toBe(200);
    expect(body).toMatchObject({ driver: 'in-process', failed: 0 });
    for (const state of ['queued', 'running', 'retrying', 'completed', 'failed']) {
      expect(typeof body[state]).toBe('number');
    }
    expect((await call('/v1/jobs/counts', keyA.key)).status).toBe(401);
  });
});
