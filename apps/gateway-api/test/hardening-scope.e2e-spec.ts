import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { randomBytes } from 'node:crypto';
import type { TestGateway } from './harness';
import { DATABASE_URL, dropSchema, startGateway } from './harness';

const ADMIN_KEY = 'admin-scope-0123456789abcdef';
const ask = { messages: [{ role: 'user' as const, content: 'hello' }] };
const PROTOTYPE_NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

/** Status and error code of one raw chat call (`200` or `429:budget_exceeded`, …). */
async function outcomeOf(
  url: string,
  body: Record<string, unknown>,
  headers: Record<string, string>,
): Promise<string> {
  const response = await fetch(`${url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const json = (await response.json()) as { error?: { code?: string } };
  return json.error ? `${response.status}:${json.error.code}` : String(response.status);
}

/** A provider on the fake server that serves `m1`, told apart from the others by its API key. */
const upstream = (
  fake: FakeProviderServer,
  apiKey: string,
  extra: Record<string, unknown> = {},
) => ({
  kind: 'openai-compatible',
  baseUrl: `${fake.url}/v1`,
  apiKeys: [apiKey],
  models: ['m1'],
  maxRetries: 0,
  // These tests look at single requests: no breaker may open in between.
  breaker: { failureThreshold: 1000, minRequests: 1000 },
  ...extra,
});
const priced = { modelInfo: { m1: { inputCostPerMTok: 2.5, outputCostPerMTok: 10 } } };

/**
 * Issue 13 item 4: a prototype name (`toString`, `__proto__`, …) is limited exactly like
 * any other user, and only a multi-user key may name the user it acts for.
 */
describe('hardening: caller names and scopes (e2e)', () => {
  let fake: FakeProviderServer;
  beforeAll(async () => {
    fake = await startFakeProvider();
  });
  afterAll(() => fake?.close());
  beforeEach(() => fake.reset());

  describe('without gateway auth: prototype names as x-gateway-user', () => {
    let gateway: TestGateway;
    beforeAll(async () => {
      gateway = await startGateway({
        providers: { paid: upstream(fake, 'k-paid', priced) },
        // A default budget nobody fits in, and 3 requests a minute: each request is
        // refused, the first three by the budget, then by the rate limit.
        budgets: { defaultUser: { dailyUsd: 0 } },
        rateLimits: { defaultUser: { requestsPerMinute: 3 } },
      });
    });
    afterAll(() => gateway?.close());

    it('toString, constructor, __proto__, hasOwnProperty and valueOf are limited exactly like alice', async () => {
      const run = async (user: string): Promise<string[]> => {
        const outcomes: string[] = [];
        for (let i = 0; i < 5; i++) {
          outcomes.push(
            await outcomeOf(gateway.url, { model: 'm1', ...ask }, { 'x-gateway-user': user }),
          );
        }
        return outcomes;
      };
      const alice = await run('alice');
      expect(alice).toEqual([
        '429:budget_exceeded',
        '429:budget_exceeded',
        '429:budget_exceeded',
        '429:rate_limit_exceeded',
        '429:rate_limit_exceeded',
      ]);
      for (const name of PROTOTYPE_NAMES) expect([name, await run(name)]).toEqual([name, alice]);
      // OpenAI's own `user` field names the user the same way.
      expect(await outcomeOf(gateway.url, { model: 'm1', user: 'toString', ...ask }, {})).toBe(
        '429:rate_limit_exceeded',
      );
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('with gateway auth', () => {
    const schema = `scope_e2e_${randomBytes(5).toString('hex')}`;
    let gateway: TestGateway;

    const admin = async (
      method: string,
      path: string,
      body?: unknown,
    ): Promise<{ status: number; body: Record<string, unknown> }> => {
      const response = await fetch(`${gateway.url}/v1/admin/keys${path}`, {
        method,
        headers: {
          authorization: `Bearer ${ADMIN_KEY}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    };
    const createKey = async (
      input: Record<string, unknown>,
    ): Promise<{ id: string; key: string }> => {
      const { status, body } = await admin('POST', '', input);
      expect(status).toBe(201);
      return body as { id: string; key: string };
    };
    const chat = (
      key: string,
      body: Record<string, unknown>,
      headers: Record<string, string> = {},
    ) =>
      outcomeOf(gateway.url, { ...ask, ...body }, { authorization: `Bearer ${key}`, ...headers });

    beforeAll(async () => {
      gateway = await startGateway({
        providers: {
          up1: upstream(fake, 'k-up1', priced),
          up2: upstream(fake, 'k-up2', { ...priced, priority: 2 }),
        },
        // bob may spend nothing: a request that counts against him is refused.
        budgets: { users: { bob: { dailyUsd: 0 } } },
        auth: {
          enabled: true,
          adminKey: ADMIN_KEY,
          hashSecret: 'hash-secret-for-scope-tests-0123456789',
        },
        usage: { databaseUrl: DATABASE_URL, schema },
      });
    });
    afterAll(async () => {
      await gateway?.close();
      await dropSchema(schema);
    });

    it("a key without multiUser cannot name another user: bob's budget is never selected", async () => {
      const plain = await createKey({ name: 'plain backend' });
      expect(await chat(plain.key, { model: 'up1/m1' }, { 'x-gateway-user': 'bob' })).toBe('200');
      expect(await chat(plain.key, { model: 'up1/m1', user: 'bob' })).toBe('200');
      const owned = await createKey({ name: 'ann', userId: 'ann' });
      expect(await chat(owned.key, { model: 'up1/m1' }, { 'x-gateway-user': 'bob' })).toBe('200');
      expect(fake.requests).toHaveLength(3);
    });

    it('a multiUser key names the user per request (header or user field); the flag is stored and can be turned off', async () => {
      const backend = await createKey({ name: 'trusted backend', multiUser: true });
      expect((await admin('GET', `/${backend.id}`)).body).toMatchObject({ multiUser: true });
      expect(await chat(backend.key, { model: 'up1/m1' }, { 'x-gateway-user': 'bob' })).toBe(
        '429:budget_exceeded',
      );
      expect(await chat(backend.key, { model: 'up1/m1', user: 'bob' })).toBe('429:budget_exceeded');
      expect(await chat(backend.key, { model: 'up1/m1' }, { 'x-gateway-user': 'carol' })).toBe(
        '200',
      );
      const off = await admin('PATCH', `/${backend.id}`, { multiUser: false });
      expect(off.body).toMatchObject({ multiUser: false });
      expect(await chat(backend.key, { model: 'up1/m1' }, { 'x-gateway-user': 'bob' })).toBe('200');
      expect((await admin('GET', '')).body.data).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: backend.id, multiUser: false })]),
      );
    });

    it('item 14: a provider-pinned scope is not bypassed by x-gateway-fallback or gateway.fallback', async () => {
      const pinned = await createKey({ name: 'pinned', allowedModels: ['up2/m1'] });
      // up2 fails every call: a fallback to up1 (same model id) would serve the request.
      fake.enqueue({ status: 500, errorMessage: 'up2 is down' }, -1, { apiKey: 'k-up2' });
      const viaHeader = await chat(
        pinned.key,
        { model: 'up2/m1' },
        { 'x-gateway-fallback': 'true' },
      );
      const viaBody = await chat(pinned.key, { model: 'up2/m1', gateway: { fallback: true } });
      for (const outcome of [viaHeader, viaBody]) expect(outcome).toMatch(/^5\d\d:/);
      expect(fake.requests.filter((r) => r.apiKey === 'k-up1')).toHaveLength(0);
      expect(fake.requests.filter((r) => r.apiKey === 'k-up2')).toHaveLength(2);
      // The same model id outside the scope is still a 403 when named directly.
      expect(await chat(pinned.key, { model: 'up1/m1' })).toBe('403:model_not_allowed');

      // A scope that names both providers keeps the fallback.
      const both = await createKey({ name: 'both', allowedModels: ['up2/m1', 'up1/*'] });
      const response = await fetch(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${both.key}`,
          'content-type': 'application/json',
          'x-gateway-fallback': 'true',
        },
        body: JSON.stringify({ model: 'up2/m1', ...ask }),
      });
      expect(response.status).toBe(200);
      expect(response.headers.get('x-gateway-provider')).toBe('up1');
      fake.clearScripts();
    });

    it('item 8: admin PATCH with null or a wrong type is a 400 naming the field, never a 500', async () => {
      const key = await createKey({
        name: 'patched',
        userId: 'u1',
        expiresAt: '2099-01-01T00:00:00Z',
      });
      const cases: Array<[Record<string, unknown>, string]> = [
        [{ name: null }, 'name'],
        [{ name: 5 }, 'name'],
        [{ multiUser: null }, 'multiUser'],
        [{ multiUser: 'yes' }, 'multiUser'],
        [{ userId: 7 }, 'userId'],
        [{ userId: 'a\u0000b' }, 'userId'],
        [{ allowedModels: 'up1/m1' }, 'allowedModels'],
        [{ budget: [] }, 'budget'],
        [{ budget: { dailyUsd: null } }, 'budget.dailyUsd'],
        [{ limits: 5 }, 'limits'],
        [{ expiresAt: 5 }, 'expiresAt'],
      ];
      for (const [body, param] of cases) {
        const { status, body: answer } = await admin('PATCH', `/${key.id}`, body);
        expect([JSON.stringify(body), status, (answer.error as { param?: string })?.param]).toEqual(
          [JSON.stringify(body), 400, param],
        );
      }
      // null clears a nullable field (no expiry, no user) instead of failing or meaning 1970.
      const cleared = await admin('PATCH', `/${key.id}`, { userId: null, expiresAt: null });
      expect(cleared.status).toBe(200);
      expect(cleared.body).toMatchObject({ name: 'patched', userId: null, expiresAt: null });
      expect(await chat(key.key, { model: 'up1/m1' })).toBe('200');
      // An id that is not one of ours (a NUL in it) is a 404, not a database error.
      expect((await admin('GET', '/key_%00')).status).toBe(404);
      expect((await admin('PATCH', '/key_%00', { name: 'x' })).status).toBe(404);
    });
  });
});
