import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { request } from 'undici';
import { createGatewayKey } from './gateway-admin';
import type { TestGateway } from './harness';
import { DATABASE_URL, dropSchema, startGateway } from './harness';

jest.setTimeout(30_000);

const ADMIN_KEY = 'resilience-admin-key-0123456789';
const hello = [{ role: 'user', content: 'hello' }];

/** One call through the gateway's HTTP API: status, body text and how long it took. */
async function call(
  gateway: TestGateway,
  body: Record<string, unknown>,
  headers: Record<string, string> = {},
): Promise<{ status: number; text: string; ms: number }> {
  const started = performance.now();
  const res = await request(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ messages: hello, ...body }),
  });
  const text = await res.body.text();
  return { status: res.statusCode, text, ms: performance.now() - started };
}

/** A stream that has sent its first chunk, read on in the background until it ends. */
async function openStream(
  gateway: TestGateway,
  model: string,
  key?: string,
): Promise<{ status: number; done: Promise<string> }> {
  const res = await request(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(key ? { authorization: `Bearer ${key}` } : {}),
    },
    body: JSON.stringify({ model, messages: hello, stream: true }),
  });
  const body = res.body;
  const first = await new Promise<string>((resolve, reject) => {
    body.once('data', (piece: Buffer) => resolve(piece.toString('utf8')));
    body.once('error', reject);
  });
  const done = (async () => {
    let text = first;
    for await (const piece of body) text += (piece as Buffer).toString('utf8');
    return text;
  })();
  return { status: res.statusCode, done };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Provider settings far from every timer the tests set: a failure can only come from the
 * request's own limits or from the scripted upstream. Breakers open after 5 failures and
 * stay open 30 s (the defaults), so an opened circuit would show in the next call.
 */
const provider = (fake: FakeProviderServer, extra: Record<string, unknown> = {}) => ({
  kind: 'openai-compatible',
  baseUrl: `${fake.url}/v1`,
  maxRetries: 0,
  timeoutMs: 30_000,
  firstTokenTimeoutMs: 30_000,
  idleTimeoutMs: 30_000,
  ...extra,
});

/** Issue 13, item 3: no tenant switches a provider off for the others. */
describe('hardening: shared provider state (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    fake = await startFakeProvider();
    gateway = await startGateway({
      providers: {
        timers: provider(fake, { models: ['t-model'] }),
        deadline: provider(fake, { models: ['d-model'] }),
        anymodel: provider(fake, {
          apiKeys: ['pk-any-one'],
          modelInfo: { 'listed-model': {} },
        }),
        probed: provider(fake, {
          models: ['p-model'],
          breaker: { failureThreshold: 1, openMs: 300 },
        }),
      },
      routes: { short: { targets: ['deadline/d-model'], deadlineMs: 1_000 } },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  it("a caller's 1 ms timers (header or body, chat or stream) never open the shared circuit", async () => {
    fake.enqueue({ latencyMs: 2_000, ttftMs: 2_000 }, -1, { model: 't-model' });
    const tries = [
      ...Array.from({ length: 5 }, () =>
        call(gateway, { model: 'timers/t-model' }, { 'x-gateway-attempt-timeout-ms': '1' }),
      ),
      ...Array.from({ length: 5 }, () =>
        call(gateway, { model: 'timers/t-model', gateway: { timeouts: { firstTokenMs: 1 } } }),
      ),
      ...Array.from({ length: 5 }, () =>
        call(gateway, {
          model: 'timers/t-model',
          stream: true,
          gateway: { timeouts: { firstTokenMs: 1 } },
        }),
      ),
    ];
    for (const result of await Promise.all(tries)) expect(result.status).toBe(504);
    fake.reset();
    // Another tenant, right after: served, not 503 "circuit open".
    const other = await call(gateway, { model: 'timers/t-model' });
    expect(other.status).toBe(200);
  });

  it("healthy streams cut by the gateway's total deadline do not count as provider timeouts", async () => {
    const words = Array.from({ length: 20 }, (_, i) => `w${i}`).join(' ');
    fake.enqueue({ text: words, ttftMs: 0, chunkDelayMs: 100 }, -1, { model: 'd-model' });
    const cut = await Promise.all(
      Array.from({ length: 8 }, () => call(gateway, { model: 'short', stream: true })),
    );
    for (const result of cut) {
      expect(result.status).toBe(200);
      expect(result.text).not.toContain('[DONE]');
      expect(result.text).toContain('deadline');
    }
    fake.reset();
    const next = await call(gateway, { model: 'deadline/d-model' });
    expect(next.status).toBe(200);
  });

  it("a 401 for a model the caller picked on an any-model provider does not quarantine the provider's key", async () => {
    fake.enqueue({ status: 401, errorMessage: 'model not allowed for this key' }, -1, {
      model: 'forbidden-model',
    });
    const refused = await call(gateway, { model: 'anymodel/forbidden-model' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(refused.status).not.toBe(503);
    // Every tenant's next call still gets the key: no 503 "keys resting" for 10 minutes.
    for (let i = 0; i < 3; i++) {
      const next = await call(gateway, { model: 'anymodel/some-model' });
      expect(next.status).toBe(200);
    }
    // The control: a 401 on a model the operator listed still sets the key aside.
    fake.enqueue({ status: 401, errorMessage: 'invalid api key' }, 1, { model: 'listed-model' });
    await call(gateway, { model: 'anymodel/listed-model' });
    const after = await call(gateway, { model: 'anymodel/some-model' });
    expect(after.status).toBe(503);
    expect(after.text).toContain('keys resting');
  });

  it('a long stream probing a half-open circuit lets other calls through from its first chunk', async () => {
    fake.enqueue({ status: 500 }, 1, { model: 'p-model' });
    const failed = await call(gateway, { model: 'probed/p-model' });
    expect(failed.status).toBeGreaterThanOrEqual(500);
    expect(failed.status).not.toBe(503);
    expect((await call(gateway, { model: 'probed/p-model' })).status).toBe(503);
    await sleep(400); // past openMs: the next call is the probe
    fake.enqueue({ text: 'one two three four five six', chunkDelayMs: 400 }, 1, {
      model: 'p-model',
    });
    const probe = await openStream(gateway, 'probed/p-model');
    expect(probe.status).toBe(200);
    // While the probe streams on (about 2 s more), other tenants are served.
    const others = await Promise.all(
      Array.from({ length: 5 }, () => call(gateway, { model: 'probed/p-model' })),
    );
    expect(others.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    expect(await probe.done).toContain('[DONE]');
  });
});

/** Issue 13, item 7: a full pool never holds a call past its own timers; one key never takes the pool. */
describe('hardening: connection pool (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  const schema = `resilience_e2e_${randomBytes(5).toString('hex')}`;

  beforeAll(async () => {
    fake = await startFakeProvider();
    gateway = await startGateway({
      providers: {
        // One pooled connection: a second call can only wait for it.
        single: provider(fake, { models: ['one-model'], maxConnections: 1 }),
        // Four connections: the default share of one key is a quarter, one call.
        shared: provider(fake, { models: ['share-model'], maxConnections: 4 }),
      },
      auth: { enabled: true, adminKey: ADMIN_KEY, hashSecret: 'resilience-secret-0123456789' },
      usage: { databaseUrl: DATABASE_URL, schema },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
    await dropSchema(schema);
  });
  beforeEach(() => fake.reset());

  it('a call queued behind a full pool fails at its own 1 s first-token timer, and never reaches the upstream', async () => {
    const holderKey = await createGatewayKey(gateway.url, ADMIN_KEY, { name: 'holder' });
    const otherKey = await createGatewayKey(gateway.url, ADMIN_KEY, { name: 'other' });
    fake.enqueue({ latencyMs: 6_000 }, 1, { model: 'one-model' });
    const holder = call(
      gateway,
      { model: 'single/one-model' },
      { authorization: `Bearer ${holderKey.key}` },
    );
    await sleep(300); // the holder has the only connection
    const queued = await call(
      gateway,
      { model: 'single/one-model' },
      {
        authorization: `Bearer ${otherKey.key}`,
        'x-gateway-first-token-timeout-ms': '1000',
      },
    );
    expect(queued.status).toBe(504);
    expect(queued.text).toContain('first-token timeout');
    // Its own deadline, not the holder's 6 s (a noisy machine gets a wide margin).
    expect(queued.ms).toBeGreaterThanOrEqual(900);
    expect(queued.ms).toBeLessThan(4_000);
    expect((await holder).status).toBe(200);
    await sleep(200);
    // The abandoned queue entry was dropped when the connection freed: one upstream call.
    expect(fake.requests.filter((r) => r.model === 'one-model')).toHaveLength(1);
  });

  it("one key holding its share of a provider's pool gets a 429 there; other keys are served", async () => {
    const greedy = await createGatewayKey(gateway.url, ADMIN_KEY, { name: 'greedy' });
    const polite = await createGatewayKey(gateway.url, ADMIN_KEY, { name: 'polite' });
    fake.enqueue({ text: 'slow answer here', chunkDelayMs: 1_000 }, 1, { model: 'share-model' });
    const held = await openStream(gateway, 'shared/share-model', greedy.key);
    const again = await call(
      gateway,
      { model: 'shared/share-model' },
      { authorization: `Bearer ${greedy.key}` },
    );
    expect(again.status).toBe(429);
    expect(again.text).toContain('connection pool');
    const other = await call(
      gateway,
      { model: 'shared/share-model' },
      { authorization: `Bearer ${polite.key}` },
    );
    expect(other.status).toBe(200);
    expect(await held.done).toContain('[DONE]');
    // The share is given back when the stream ends.
    const after = await call(
      gateway,
      { model: 'shared/share-model' },
      { authorization: `Bearer ${greedy.key}` },
    );
    expect(after.status).toBe(200);
  });
});
