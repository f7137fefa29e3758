import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { UsageWriter } from '@ai-gateway/core';
import { randomBytes } from 'node:crypto';
import OpenAI from 'openai';
import { DataSource } from 'typeorm';
import type { TestGateway } from './harness';
import { startGateway } from './harness';

const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const ask = { messages: [{ role: 'user' as const, content: 'hello' }] };

/**
 * Issue 13, item 2: a caller's `x-request-id` was the budget reservation id, the lease id
 * and the usage log's key. Now it is only echoed (`x-client-request-id`) and logged in
 * its own column; every key the gateway relies on is its own.
 */
describe('caller request ids (e2e)', () => {
  const schema = `reqid_e2e_${randomBytes(5).toString('hex')}`;
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  let pg: DataSource;

  const client = (user: string, requestId: string): OpenAI =>
    new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: 'unused',
      maxRetries: 0,
      defaultHeaders: { 'x-gateway-user': user, 'x-request-id': requestId },
    });

  beforeAll(async () => {
    fake = await startFakeProvider();
    gateway = await startGateway({
      providers: {
        priced: {
          kind: 'openai-compatible',
          baseUrl: `${fake.url}/v1`,
          models: ['p-model'],
          maxRetries: 0,
          // Worst case of one call: 1,000 output tokens × $10/M = $0.01 (plus the prompt).
          modelInfo: { 'p-model': { inputCostPerMTok: 2.5, outputCostPerMTok: 10 } },
        },
      },
      // Room for two worst cases at once, not three.
      budgets: { users: { pair: { dailyUsd: 0.025 } } },
      usage: { databaseUrl: DATABASE_URL, schema },
    });
    pg = new DataSource({ type: 'postgres', url: DATABASE_URL, poolSize: 1 });
    await pg.initialize();
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
    await pg?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pg?.destroy();
  });
  beforeEach(() => fake.reset());

  it('20 concurrent calls sharing one x-request-id: the budget holds for 2, one row each', async () => {
    // Each call really spends its worst case, so the budget pays for exactly two,
    // however the twenty interleave.
    fake.enqueue({ latencyMs: 200, usage: { prompt: 8, completion: 1_000 } }, -1);
    const shared = `shared-${randomBytes(4).toString('hex')}`;
    const pair = client('pair', shared);
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, () =>
        pair.chat.completions.create({ model: 'priced/p-model', max_tokens: 1_000, ...ask }),
      ),
    );
    const served = results.filter((r) => r.status === 'fulfilled').length;
    expect(served).toBe(2);
    for (const result of results) {
      if (result.status === 'rejected') {
        expect(result.reason).toBeInstanceOf(OpenAI.RateLimitError);
        expect((result.reason as InstanceType<typeof OpenAI.APIError>).code).toBe(
          'budget_exceeded',
        );
      }
    }
    await gateway.app.get(UsageWriter).flush();
    const rows = await pg.query<Array<{ request_id: string; status: string }>>(
      `SELECT request_id, status FROM "${schema}".usage_log WHERE client_request_id = $1`,
      [shared],
    );
    expect(rows).toHaveLength(20);
    expect(new Set(rows.map((r) => r.request_id)).size).toBe(20);
    expect(rows.filter((r) => r.status === 'ok')).toHaveLength(2);
  });

  it('a client retrying with its own id after the first call finished is served again', async () => {
    const retried = client('retrier', 'my-retry-id');
    for (let i = 0; i < 3; i++) {
      const { response } = await retried.chat.completions
        .create({ model: 'priced/p-model', ...ask })
        .withResponse();
      expect(response.status).toBe(200);
      expect(response.headers.get('x-client-request-id')).toBe('my-retry-id');
      expect(response.headers.get('x-request-id')).not.toBe('my-retry-id');
    }
  });

  it("tenant B re-using tenant A's id is served and logged under its own row", async () => {
    const a = await client('tenant-a', 'collide-1')
      .chat.completions.create({ model: 'priced/p-model', ...ask })
      .withResponse();
    const b = await client('tenant-b', 'collide-1')
      .chat.completions.create({ model: 'priced/p-model', ...ask })
      .withResponse();
    expect(b.response.status).toBe(200);
    await gateway.app.get(UsageWriter).flush();
    const rows = await pg.query<Array<{ request_id: string; user_id: string }>>(
      `SELECT request_id, user_id FROM "${schema}".usage_log WHERE client_request_id = 'collide-1' ORDER BY user_id`,
    );
    expect(rows.map((r) => r.user_id)).toEqual(['tenant-a', 'tenant-b']);
    expect(rows.map((r) => r.request_id).sort()).toEqual(
      [a.response.headers.get('x-request-id'), b.response.headers.get('x-request-id')].sort(),
    );
  });

  it('streams echo the client id too; OpenAI’s x-client-request-id header is the first choice', async () => {
    const streaming = new OpenAI({
      baseURL: `${gateway.url}/v1`,
      apiKey: 'unused',
      maxRetries: 0,
      defaultHeaders: { 'x-client-request-id': 'openai-style', 'x-request-id': 'other' },
    });
    const { data, response } = await streaming.chat.completions
      .create({ model: 'priced/p-model', stream: true, ...ask })
      .withResponse();
    for await (const chunk of data) void chunk;
    expect(response.headers.get('x-client-request-id')).toBe('openai-style');
    expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('a NUL in the user or the model id keeps the usage row of a served request (item 16)', async () => {
    const any = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-request-id': 'nul-row' },
      body: JSON.stringify({ model: 'priced/p-model', user: 'a\u0000b', ...ask }),
    });
    expect(any.status).toBe(200);
    await gateway.app.get(UsageWriter).flush();
    const rows = await pg.query<Array<{ user_id: string }>>(
      `SELECT user_id FROM "${schema}".usage_log WHERE client_request_id = 'nul-row'`,
    );
    expect(rows).toEqual([{ user_id: 'a\ufffdb' }]);
  });
});
