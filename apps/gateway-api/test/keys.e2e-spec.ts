import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { UsageWriter } from '@ai-gateway/core';
import { UsageRepository } from '@ai-gateway/core/testing';
import OpenAI from 'openai';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { TestGateway } from './harness';
import { apiErrorOf, startGateway } from './harness';

const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const ADMIN_KEY = 'admin-canary-0123456789abcdef';
const PROVIDER_KEY = 'sk-provider-canary-9f8e7d6c5b4a';
const ask = { messages: [{ role: 'user' as const, content: 'hello' }] };

interface KeyBody {
  id: string;
  key?: string;
  hint: string;
  disabled: boolean;
  [field: string]: unknown;
}

/** Issue 4: gateway keys — admin API, 401/403, key scopes and budgets, hashed storage. */
describe('gateway keys (e2e)', () => {
  const schema = `keys_e2e_${randomBytes(5).toString('hex')}`;
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  const issued: string[] = [];

  const admin = async (
    method: string,
    path: string,
    body?: unknown,
    key: string | null = ADMIN_KEY,
  ): Promise<{ status: number; body: KeyBody & { data?: KeyBody[]; error?: never } }> => {
    const response = await fetch(`${gateway.url}/v1/admin/keys${path}`, {
      method,
      headers: {
        ...(key ? { authorization: `Bearer ${key}` } : {}),
        ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as never };
  };
  const createKey = async (input: Record<string, unknown>): Promise<KeyBody> => {
    const { status, body } = await admin('POST', '', input);
    expect(status).toBe(201);
    issued.push(body.key as string);
    return body;
  };
  const clientFor = (key: string): OpenAI =>
    new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });

  beforeAll(async () => {
    fake = await startFakeProvider();
    const priced = (model: string) => ({
      kind: 'openai-compatible',
      baseUrl: `${fake.url}/v1`,
      apiKeys: [PROVIDER_KEY],
      models: [model],
      maxRetries: 0,
      modelInfo: { [model]: { inputCostPerMTok: 2.5, outputCostPerMTok: 10 } },
    });
    gateway = await startGateway({
      providers: { cheap: priced('c-model'), other: priced('o-model') },
      routes: { fast: { targets: ['cheap/c-model'] } },
      auth: { enabled: true, adminKey: ADMIN_KEY, hashSecret: 'hash-secret-for-tests-0123456789' },
      usage: { databaseUrl: DATABASE_URL, schema },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
    const pg = new DataSource({ type: 'postgres', url: DATABASE_URL, poolSize: 1 });
    await pg.initialize();
    await pg.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pg.destroy();
  });
  beforeEach(() => fake.reset());

  it('guards the admin API with the admin key: 401 without it, with a wrong one, with a gateway key', async () => {
    const userKey = await createKey({ name: 'plain' });
    for (const key of [null, 'wrong-admin-key-0123456789', userKey.key as string]) {
      const { status, body } = await admin('GET', '', undefined, key);
      expect(status).toBe(401);
      expect(body).toEqual({
        error: {
          message: expect.any(String),
          type: 'invalid_request_error',
          param: null,
          code: 'invalid_api_key',
        },
      });
    }
    expect((await admin('GET', '')).status).toBe(200);
  });

  it('shows a new key once; lists and reads never carry the secret or its hash', async () => {
    const created = await createKey({ name: 'team key', userId: 'ann', teamId: 'research' });
    expect(created.key).toMatch(/^gk_[A-Za-z0-9_-]{32}$/);
    expect(created.hint).toBe(created.key?.slice(-4));
    const listed = await admin('GET', '');
    const read = await admin('GET', `/${created.id}`);
    for (const text of [JSON.stringify(listed.body), JSON.stringify(read.body)]) {
      expect(text).not.toContain(created.key as string);
      expect(text).not.toMatch(/secret|hash/i);
    }
    expect(read.body).toMatchObject({
      id: created.id,
      userId: 'ann',
      teamId: 'research',
      disabled: false,
    });
  });

  it('stores only a keyed hash: the table holds no plaintext key', async () => {
    const created = await createKey({ name: 'stored' });
    const pg = new DataSource({ type: 'postgres', url: DATABASE_URL, poolSize: 1 });
    await pg.initialize();
    try {
      const rows = await pg.query<Array<Record<string, unknown>>>(
        `SELECT * FROM "${schema}".gateway_keys`,
      );
      expect(rows.length).toBeGreaterThanOrEqual(1);
      const table = JSON.stringify(rows);
      for (const secret of issued) {
        expect(table).not.toContain(secret);
        expect(table).not.toContain(secret.slice(3)); // nor the random part alone
      }
      const row = rows.find((r) => r.id === created.id);
      expect(row?.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    } finally {
      await pg.destroy();
    }
  });

  it('serves a valid key (Bearer or X-API-Key) and logs the call under its key, user and team', async () => {
    const created = await createKey({ name: 'served', userId: 'ann', teamId: 'research' });
    const { response } = await clientFor(created.key as string)
      .chat.completions.create(
        { model: 'fast', ...ask },
        { headers: { 'x-request-id': 'key-row-1' } },
      )
      .withResponse();
    expect(response.status).toBe(200);
    const viaHeader = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'x-api-key': created.key as string, 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fast', ...ask }),
    });
    expect(viaHeader.status).toBe(200);
    await gateway.app.get(UsageWriter).flush();
    expect(await gateway.app.get(UsageRepository).findByClientRequestId('key-row-1')).toMatchObject(
      {
        keyId: created.id,
        userId: 'ann',
        teamId: 'research',
        status: 'ok',
      },
    );
  });

  it('401 for no key, an unknown key, a disabled key and an expired key — and no provider call', async () => {
    const missing = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'fast', ...ask }),
    });
    expect(missing.status).toBe(401);
    expect(((await missing.json()) as { error: { code: string } }).error.code).toBe(
      'invalid_api_key',
    );

    const unknown = await apiErrorOf(
      clientFor('gk_not-a-real-key-000000000000000000').chat.completions.create({
        model: 'fast',
        ...ask,
      }),
    );
    expect(unknown).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unknown.code).toBe('invalid_api_key');

    const disabled = await createKey({ name: 'to disable' });
    expect(
      (await clientFor(disabled.key as string).chat.completions.create({ model: 'fast', ...ask }))
        .id,
    ).toBeDefined();
    expect((await admin('POST', `/${disabled.id}/disable`)).body.disabled).toBe(true);
    const refused = await apiErrorOf(
      clientFor(disabled.key as string).chat.completions.create({ model: 'fast', ...ask }),
    );
    expect(refused.status).toBe(401);
    expect(refused.message).toContain('disabled');

    const expired = await createKey({ name: 'old', expiresAt: '2020-01-01T00:00:00Z' });
    const late = await apiErrorOf(
      clientFor(expired.key as string).chat.completions.create({ model: 'fast', ...ask }),
    );
    expect(late.status).toBe(401);
    expect(late.message).toContain('expired');
    expect(fake.requests).toHaveLength(1); // only the call made before disabling
  });

  it('403 model_not_allowed outside the key scope (model, route or chain override)', async () => {
    const scoped = await createKey({ name: 'scoped', allowedModels: ['fast', 'cheap/*'] });
    const client = clientFor(scoped.key as string);
    expect((await client.chat.completions.create({ model: 'fast', ...ask })).id).toBeDefined();
    expect(
      (await client.chat.completions.create({ model: 'cheap/c-model', ...ask })).id,
    ).toBeDefined();
    const outside = await apiErrorOf(
      client.chat.completions.create({ model: 'other/o-model', ...ask }),
    );
    expect(outside).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(outside.code).toBe('model_not_allowed');
    const viaChain = await apiErrorOf(
      client.chat.completions.create(
        { model: 'fast', ...ask },
        { headers: { 'x-gateway-chain': 'other/o-model' } },
      ),
    );
    expect(viaChain.status).toBe(403);
    expect(fake.requests.filter((r) => r.model === 'o-model')).toHaveLength(0);
  });

  it('rotation: the old secret stops at once, the new one works with the same id', async () => {
    const first = await createKey({ name: 'rotating', userId: 'rex' });
    const rotated = await admin('POST', `/${first.id}/rotate`);
    expect(rotated.status).toBe(200);
    expect(rotated.body.id).toBe(first.id);
    expect(rotated.body.key).not.toBe(first.key);
    issued.push(rotated.body.key as string);
    expect((await apiErrorOf(clientFor(first.key as string).models.list())).status).toBe(401);
    expect(
      (
        await clientFor(rotated.body.key as string).chat.completions.create({
          model: 'fast',
          ...ask,
        })
      ).id,
    ).toBeDefined();
  });

  it('a key over its own budget gets 429 budget_exceeded', async () => {
    // Worst case with max_tokens 100: a few prompt tokens × $2.50/M + 100 × $10/M ≈ $0.001.
    const capped = await createKey({ name: 'capped', budget: { dailyUsd: 0.0005 } });
    const error = await apiErrorOf(
      clientFor(capped.key as string).chat.completions.create({
        model: 'fast',
        max_tokens: 100,
        ...ask,
      }),
    );
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.code).toBe('budget_exceeded');
    expect(error.message).toContain(`key "${capped.id}"`);
    expect(fake.requests).toHaveLength(0);
  });

  it('rejects a bad key definition with 400 naming the field, and an unknown id with 404', async () => {
    const bad = await admin('POST', '', { name: 'x', budget: { dailyUsd: -1 } });
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ code: 'invalid_request', param: 'budget.dailyUsd' });
    const extra = await admin('POST', '', { name: 'x', colour: 'red' });
    expect(extra.status).toBe(400);
    expect((await admin('GET', '/key_does_not_exist')).status).toBe(404);
  });

  it('writes no provider key, gateway key or admin key to the logs', () => {
    const logs = gateway.logs.join('\n');
    expect(logs.length).toBeGreaterThan(0);
    for (const secret of [PROVIDER_KEY, ADMIN_KEY, ...issued]) expect(logs).not.toContain(secret);
  });

  it('usage analytics: a key sees only its own rows, the admin key sees every key', async () => {
    const mine = await createKey({ name: 'analytics mine', userId: 'uma' });
    const theirs = await createKey({ name: 'analytics theirs', userId: 'ted' });
    await clientFor(mine.key as string).chat.completions.create({ model: 'fast', ...ask });
    await clientFor(theirs.key as string).chat.completions.create({ model: 'fast', ...ask });
    await clientFor(theirs.key as string).chat.completions.create({ model: 'fast', ...ask });
    await gateway.app.get(UsageWriter).flush();
    const summary = async (key: string): Promise<Array<{ key: string; requests: number }>> => {
      const response = await fetch(`${gateway.url}/v1/usage/summary?period=24h&groupBy=key`, {
        headers: { authorization: `Bearer ${key}` },
      });
      expect(response.status).toBe(200);
      return ((await response.json()) as { groups: Array<{ key: string; requests: number }> })
        .groups;
    };
    expect(await summary(mine.key as string)).toEqual([
      expect.objectContaining({ key: mine.id, requests: 1 }),
    ]);
    const all = await summary(ADMIN_KEY);
    expect(all.find((g) => g.key === theirs.id)?.requests).toBe(2);
    expect(all.find((g) => g.key === mine.id)?.requests).toBe(1);
    const anonymous = await fetch(`${gateway.url}/v1/usage/summary?period=24h`);
    expect(anonymous.status).toBe(401);
  });
});

describe('gateway keys off (the embedded default)', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({
      auth: { adminKey: ADMIN_KEY, hashSecret: 'hash-secret-for-tests-0123456789' },
    });
  });
  afterAll(async () => {
    await gateway?.close();
  });

  it('model calls need no key; the admin API still needs the admin key', async () => {
    const answer = await gateway.client.chat.completions.create({
      model: 'local-fake/echo',
      ...ask,
    });
    expect(answer.choices[0].message.content).toContain('hello');
    const anonymous = await fetch(`${gateway.url}/v1/admin/keys`);
    expect(anonymous.status).toBe(401);
    const withKey = await fetch(`${gateway.url}/v1/admin/keys`, {
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    expect(withKey.status).toBe(200);
  });
});
