import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { randomUUID } from 'node:crypto';
import { request } from 'undici';
import type { TestGateway } from './harness';
import { startGateway } from './harness';

const body = JSON.stringify({ model: 'main', messages: [{ role: 'user', content: 'hello' }] });

async function chat(
  gateway: TestGateway,
): Promise<{ status: number; headers: Record<string, unknown> }> {
  const res = await request(`${gateway.url}/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });
  await res.body.dump();
  return { status: res.statusCode, headers: res.headers };
}

async function providerState(gateway: TestGateway, provider: string): Promise<string> {
  const res = await request(`${gateway.url}/v1/providers/status`);
  const { data } = (await res.body.json()) as { data: Array<{ provider: string; state: string }> };
  return data.find((p) => p.provider === provider)?.state ?? 'missing';
}

/** Polls until `read` gives `want` (bounded: 100 × 20 ms), returning the last value read. */
async function eventually(read: () => Promise<string>, want: string): Promise<string> {
  let value = await read();
  for (let i = 0; i < 100 && value !== want; i++) {
    await new Promise((resolve) => setTimeout(resolve, 20));
    value = await read();
  }
  return value;
}

function config(
  fake: FakeProviderServer,
  breaker: Record<string, number>,
  redis?: Record<string, string>,
) {
  const provider = (model: string) => ({
    kind: 'openai-compatible',
    baseUrl: `${fake.url}/v1`,
    models: [model],
    maxRetries: 1,
    breaker,
  });
  return {
    providers: { primary: provider('p-model'), backup: provider('b-model') },
    routes: { main: { targets: ['primary/p-model', 'backup/b-model'] } },
    ...(redis ? { redis } : {}),
  };
}

/** Issue 3, must-show 2: a flaky primary never fails a request, and costs few extra calls. */
describe('fallback under a flaky primary (2,000 requests)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    fake = await startFakeProvider({ seed: 20261121 });
    gateway = await startGateway(
      config(fake, {
        failureThreshold: 5,
        errorRateThreshold: 0.2,
        minRequests: 20,
        windowMs: 1_000,
        openMs: 1_000,
      }),
    );
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  it('every request succeeds through the fallback and upstream attempts stay ≤ 1.3 per request', async () => {
    fake.enqueue({ status: 500 }, -1, { model: 'p-model' }, 0.3);
    const before = fake.requestCount;
    const statuses = new Map<number, number>();
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < 2_000) {
        next++;
        const { status } = await chat(gateway);
        statuses.set(status, (statuses.get(status) ?? 0) + 1);
      }
    };
    await Promise.all(Array.from({ length: 16 }, worker));
    expect(Object.fromEntries(statuses)).toEqual({ 200: 2_000 });
    const attemptsPerRequest = (fake.requestCount - before) / 2_000;
    if (process.env.SHOW_FIGURES)
      process.stdout.write(`attempts per request: ${attemptsPerRequest}\n`);
    expect(attemptsPerRequest).toBeGreaterThan(1); // the primary did fail sometimes
    expect(attemptsPerRequest).toBeLessThanOrEqual(1.3);
  }, 60_000);
});

/** Issue 3, must-show 3: the breaker's cycle, shared by two instances through Redis. */
describe('circuit breaker shared by two gateway instances on one Redis', () => {
  let fake: FakeProviderServer;
  let a: TestGateway;
  let b: TestGateway;

  beforeAll(async () => {
    fake = await startFakeProvider();
    const redis = { url: 'redis://127.0.0.1:6379', keyPrefix: `test:${randomUUID()}:` };
    const breaker = { failureThreshold: 3, minRequests: 1000, openMs: 800 };
    a = await startGateway(config(fake, breaker, redis));
    b = await startGateway(config(fake, breaker, redis));
  });
  afterAll(async () => {
    await a.close();
    await b.close();
    await fake.close();
  });

  it('opens after the threshold on A, is skipped by B, half-opens, and closes on a good probe', async () => {
    fake.enqueue({ status: 503 }, 3, { model: 'p-model' });
    for (let i = 0; i < 3; i++) {
      const res = await chat(a);
      expect(res.status).toBe(200);
      expect(res.headers['x-gateway-trace']).toBe(
        'primary/p-model=server_error, backup/b-model=ok',
      );
    }
    // Outcomes are recorded after the response (off the request path): wait for the write.
    expect(await eventually(() => providerState(a, 'primary'), 'open')).toBe('open');
    expect(await providerState(b, 'primary')).toBe('open');

    const primaryCalls = fake.requests.filter((r) => r.model === 'p-model').length;
    const skipped = await chat(b);
    expect(skipped.status).toBe(200);
    expect(skipped.headers['x-gateway-trace']).toBe(
      'primary/p-model=skipped:circuit_open, backup/b-model=ok',
    );
    expect(fake.requests.filter((r) => r.model === 'p-model')).toHaveLength(primaryCalls);

    // Condition-based wait for the reset time (800 ms), bounded.
    let state = 'open';
    for (let i = 0; i < 100 && state === 'open'; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      state = await providerState(b, 'primary');
    }
    expect(state).toBe('half-open');

    const probe = await chat(b);
    expect(probe.headers['x-gateway-trace']).toBe('primary/p-model=ok');
    expect(await eventually(() => providerState(a, 'primary'), 'closed')).toBe('closed');
    expect(await providerState(b, 'primary')).toBe('closed');
  });

  it('reports per provider and key in /v1/providers/status, without secrets', async () => {
    const res = await request(`${a.url}/v1/providers/status`);
    const json = (await res.body.json()) as { data: Array<Record<string, unknown>> };
    const primary = json.data.find((p) => p.provider === 'primary');
    expect(primary).toMatchObject({
      kind: 'openai-compatible',
      state: 'closed',
      windowMs: 60_000,
      keys: [],
    });
    expect(primary?.latency).toEqual(
      expect.arrayContaining([expect.objectContaining({ model: 'p-model' })]),
    );
  });
});

/** Several keys: a refused or throttled key rests and the next one answers, invisibly. */
describe('several API keys per provider', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    fake = await startFakeProvider();
    gateway = await startGateway({
      providers: {
        keyed: {
          kind: 'openai',
          baseUrl: `${fake.url}/openai/v1`,
          apiKeys: ['sk-revoked', 'sk-busy', 'sk-good'],
          models: ['k-model'],
          maxRetries: 0,
          keyQuarantineMs: 600_000,
        },
      },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });

  it('401 and 429 on a key are absorbed by the next key; the resting keys are then skipped', async () => {
    fake.enqueue({ status: 401, errorMessage: 'Incorrect API key' }, -1, { apiKey: 'sk-revoked' });
    fake.enqueue({ status: 429, retryAfter: '60' }, -1, { apiKey: 'sk-busy' });
    const ask = () =>
      gateway.client.chat.completions
        .create({ model: 'keyed/k-model', messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();

    const first = await ask();
    expect(first.data.choices[0].message.content).toBe('hi');
    expect(first.response.headers.get('x-gateway-trace')).toBe(
      'keyed/k-model=auth, keyed/k-model=rate_limited, keyed/k-model=ok',
    );

    fake.clearRequests();
    for (let i = 0; i < 5; i++) {
      const { response } = await ask();
      expect(response.headers.get('x-gateway-attempts')).toBe('1');
    }
    expect(new Set(fake.requests.map((r) => r.apiKey))).toEqual(new Set(['sk-good']));

    const status = await request(`${gateway.url}/v1/providers/status`);
    const text = await status.body.text();
    expect(text).not.toContain('sk-');
    const keyed = (
      JSON.parse(text) as { data: Array<{ keys: Array<{ state: string; lastError?: string }> }> }
    ).data[0];
    expect(keyed.keys.map((k) => k.state)).toEqual(['open', 'open', 'closed']);
  });
});
