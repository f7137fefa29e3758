import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import OpenAI from 'openai';
import { randomBytes } from 'node:crypto';
import { connect } from 'node:net';
import type { TestGateway } from './harness';
import { startGateway } from './harness';

// 2,000 model calls, and raw clients waiting for the server to act on its timeouts.
jest.setTimeout(120_000);

const ADMIN_KEY = 'edge-admin-key-0123456789abcdef';
const METRICS_TOKEN = 'edge-metrics-token-0123456789';
const HASH_SECRET = 'edge-hash-secret-0123456789abcdef';
const ask = (model: string) => ({ model, messages: [{ role: 'user' as const, content: 'hi' }] });

interface Answer {
  status: number;
  headers: Headers;
  text: string;
}

async function call(
  url: string,
  init: { method?: string; key?: string; from?: string; body?: unknown } = {},
): Promise<Answer> {
  const response = await fetch(url, {
    method: init.method ?? 'GET',
    headers: {
      ...(init.key ? { authorization: `Bearer ${init.key}` } : {}),
      ...(init.from ? { 'x-forwarded-for': init.from } : {}),
      ...(init.body ? { 'content-type': 'application/json' } : {}),
    },
    body: init.body ? JSON.stringify(init.body) : undefined,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

/** What a raw TCP client saw: the bytes received and whether the server closed on it. */
interface RawOutcome {
  received: string;
  closed: boolean;
  ms: number;
}

/**
 * Opens a raw connection, writes `head`, then one byte of `drip` every `everyMs` until
 * the server closes it or `waitMs` passes (then the client gives up and closes).
 */
function rawClient(
  url: string,
  head: string,
  options: { drip?: string; everyMs?: number; waitMs: number },
): Promise<RawOutcome> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    const socket = connect(Number(port), hostname);
    let received = '';
    let timer: NodeJS.Timeout | undefined;
    const giveUp = setTimeout(() => finish(false), options.waitMs);
    const finish = (closed: boolean): void => {
      clearTimeout(giveUp);
      clearInterval(timer);
      socket.destroy();
      resolve({ received, closed, ms: Date.now() - started });
    };
    socket.on('data', (data) => (received += data.toString('utf8')));
    socket.on('error', () => undefined);
    socket.on('close', () => finish(true));
    socket.on('connect', () => {
      if (head) socket.write(head);
      if (options.drip) {
        timer = setInterval(() => {
          if (!socket.destroyed) socket.write(options.drip!);
        }, options.everyMs ?? 200);
      }
    });
  });
}

/** Sample lines of the gateway's own series (no comments, no process defaults). */
function gatewaySeries(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('gateway_'));
}

/** Issue 13, item 10: metric labels come from configuration, never from callers. */
describe('metric label cardinality (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    fake = await startFakeProvider();
    gateway = await startGateway({
      // `models: []` accepts any model id; one is configured through modelInfo.
      providers: {
        any: {
          kind: 'openai-compatible',
          baseUrl: `${fake.url}/v1`,
          maxRetries: 0,
          modelInfo: { 'known-model': { contextWindow: 8_000 } },
        },
      },
      routes: { fast: { targets: ['any/route-model'] } },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });

  it('2,000 random model ids add no series: unknown models are counted as "other"', async () => {
    await gateway.client.chat.completions.create(ask('any/known-model'));
    await gateway.client.chat.completions.create(ask('fast'));
    const random = Array.from({ length: 2_000 }, () => `any/${randomBytes(8).toString('hex')}`);
    for (let i = 0; i < random.length; i += 25) {
      await Promise.all(
        random.slice(i, i + 25).map((model) => gateway.client.chat.completions.create(ask(model))),
      );
    }
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const series = gatewaySeries(text);
    const models = new Set(
      series.flatMap((line) => [...line.matchAll(/model="([^"]*)"/g)].map((m) => m[1])),
    );
    expect([...models].sort()).toEqual(['known-model', 'other', 'route-model']);
    expect(series).toContain(
      'gateway_requests_total{provider="any",model="other",operation="chat",status="ok"} 2000',
    );
    // Per model: 1 request counter, 17 duration lines (14 buckets, +Inf, sum, count),
    // prompt and completion tokens — 20 series, for each of the three models.
    expect(series.filter((line) => line.includes('model="'))).toHaveLength(3 * 20);
    expect(text.length).toBeLessThan(64 * 1024);
  });
});

/** Issue 13, item 11: request, header and connection limits of the HTTP server. */
describe('slow clients and connection limits (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  const REQUEST_TIMEOUT_MS = 1_500;
  const stream = (url: string): OpenAI =>
    new OpenAI({ baseURL: `${url}/v1`, apiKey: 'unused', maxRetries: 0 });

  beforeAll(async () => {
    fake = await startFakeProvider();
    gateway = await startGateway({
      server: { requestTimeoutMs: REQUEST_TIMEOUT_MS, headersTimeoutMs: 1_000 },
      providers: {
        slow: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['s-model'] },
      },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });

  it('closes a connection that dribbles its body, with 408 in OpenAI’s shape', async () => {
    const head =
      'POST /v1/chat/completions HTTP/1.1\r\nHost: gw\r\nContent-Type: application/json\r\n' +
      'Content-Length: 100000\r\n\r\n{"model":"slow/s-model","messages":[';
    // Without a request timeout the client would still be dribbling after 15 s.
    const outcome = await rawClient(gateway.url, head, { drip: ' ', everyMs: 100, waitMs: 15_000 });
    expect(outcome.closed).toBe(true);
    expect(outcome.received).toMatch(/^HTTP\/1\.1 408 Request Timeout\r\n/);
    const body = JSON.parse(outcome.received.split('\r\n\r\n')[1]) as { error: { code: string } };
    expect(body.error.code).toBe('request_timeout');
    expect(outcome.ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
  });

  it('closes a connection that never sends its headers', async () => {
    const outcome = await rawClient(gateway.url, 'GET /health/live HTTP/1.1\r\n', {
      drip: 'x',
      everyMs: 100,
      waitMs: 15_000,
    });
    expect(outcome.closed).toBe(true);
    expect(outcome.received).toMatch(/^HTTP\/1\.1 408 /);
    const silent = await rawClient(gateway.url, '', { waitMs: 15_000 });
    expect(silent.closed).toBe(true);
  });

  it('does not cut a stream that lasts longer than the request timeout', async () => {
    const words = Array.from({ length: 10 }, (_, i) => `w${i}`).join(' ');
    fake.enqueue({ text: words, chunkDelayMs: 400 }, 1, { model: 's-model' });
    const started = Date.now();
    const chunks = await stream(gateway.url).chat.completions.create({
      ...ask('slow/s-model'),
      stream: true,
    });
    let text = '';
    for await (const chunk of chunks) text += chunk.choices[0]?.delta.content ?? '';
    expect(text.replace(/\s+/g, ' ').trim()).toBe(words);
    expect(Date.now() - started).toBeGreaterThan(2 * REQUEST_TIMEOUT_MS);
  });

  it('refuses connections past server.maxConnections and accepts again below it', async () => {
    const capped = await startGateway({ server: { maxConnections: 2, headersTimeoutMs: 20_000 } });
    const { hostname, port } = new URL(capped.url);
    const held = [connect(Number(port), hostname), connect(Number(port), hostname)];
    try {
      await Promise.all(held.map((s) => new Promise((resolve) => s.on('connect', resolve))));
      // The third is closed at once, without an answer.
      const third = await rawClient(capped.url, 'GET /health/live HTTP/1.1\r\nHost: gw\r\n\r\n', {
        waitMs: 10_000,
      });
      expect(third).toMatchObject({ closed: true, received: '' });
      held[0].destroy();
      let status = 0;
      for (let i = 0; i < 100 && status !== 200; i++) {
        status = await fetch(`${capped.url}/health/live`, { headers: { connection: 'close' } })
          .then((r) => r.status)
          .catch(() => 0);
        if (status !== 200) await new Promise((resolve) => setTimeout(resolve, 50));
      }
      expect(status).toBe(200);
    } finally {
      // Held connections would keep the server from closing.
      for (const socket of held) socket.destroy();
      await capped.close();
    }
  });
});

/** Issue 13, item 17: wrong keys are counted per client address before any key is checked. */
describe('failed authentication throttling (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  let gatewayKey: string;
  const LIMIT = 3;

  beforeAll(async () => {
    fake = await startFakeProvider();
    gateway = await startGateway({
      // The test's own loopback is the proxy: X-Forwarded-For names each "client".
      server: { authFailuresPerMinute: LIMIT, trustedProxies: ['127.0.0.1'] },
      providers: {
        cheap: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['c-model'] },
      },
      auth: { enabled: true, adminKey: ADMIN_KEY, hashSecret: HASH_SECRET },
    });
    const created = await call(`${gateway.url}/v1/admin/keys`, {
      method: 'POST',
      key: ADMIN_KEY,
      from: '10.9.0.1',
      body: { name: 'edge' },
    });
    expect(created.status).toBe(201);
    gatewayKey = (JSON.parse(created.text) as { key: string }).key;
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });

  it(`answers 429 with Retry-After after ${LIMIT} wrong admin keys, even to the right key`, async () => {
    const from = '10.9.1.1';
    const url = `${gateway.url}/v1/admin/keys`;
    for (let i = 0; i < LIMIT; i++) {
      expect((await call(url, { key: `wrong-admin-key-${i}-0123456789`, from })).status).toBe(401);
    }
    const refused = await call(url, { key: 'wrong-admin-key-x-0123456789', from });
    expect(refused.status).toBe(429);
    expect(JSON.parse(refused.text)).toMatchObject({
      error: { type: 'rate_limit_error', code: 'rate_limit_exceeded' },
    });
    const retryAfter = Number(refused.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Blocked before the key is looked at: the right key waits too, from that address.
    expect((await call(url, { key: ADMIN_KEY, from })).status).toBe(429);
    // Another address is not affected.
    expect((await call(url, { key: ADMIN_KEY, from: '10.9.1.2' })).status).toBe(200);
    expect(gateway.logs.join('\n')).not.toContain(ADMIN_KEY);
  });

  it('counts made-up gateway keys on model routes the same way; a missing key is no guess', async () => {
    const from = '10.9.2.1';
    const chat = `${gateway.url}/v1/chat/completions`;
    for (let i = 0; i < LIMIT; i++) {
      const key = `gk_made_up_${i}_0123456789abcdefghij`;
      expect(
        (await call(chat, { method: 'POST', key, from, body: ask('cheap/c-model') })).status,
      ).toBe(401);
    }
    const blocked = await call(chat, {
      method: 'POST',
      key: gatewayKey,
      from,
      body: ask('cheap/c-model'),
    });
    expect(blocked.status).toBe(429);
    const other = await call(chat, {
      method: 'POST',
      key: gatewayKey,
      from: '10.9.2.2',
      body: ask('cheap/c-model'),
    });
    expect(other.status).toBe(200);
    for (let i = 0; i < 2 * LIMIT; i++) {
      expect((await call(`${gateway.url}/v1/models`, { from: '10.9.2.3' })).status).toBe(401);
    }
    expect(
      (await call(`${gateway.url}/v1/models`, { key: gatewayKey, from: '10.9.2.3' })).status,
    ).toBe(200);
  });
});

/** Issue 13, item 20: metrics and provider status show every tenant's traffic. */
describe('operator endpoints: /metrics and /v1/providers/status (e2e)', () => {
  let fake: FakeProviderServer;
  let fakeUrl: string;
  const providers = (): Record<string, unknown> => ({
    cheap: { kind: 'openai-compatible', baseUrl: `${fakeUrl}/v1`, models: ['c-model'] },
  });

  beforeAll(async () => {
    fake = await startFakeProvider();
    fakeUrl = fake.url;
  });
  afterAll(async () => {
    await fake?.close();
  });

  it('with auth on: the admin key (or the metrics token for /metrics), never a gateway key', async () => {
    const gateway = await startGateway({
      server: { metricsToken: METRICS_TOKEN },
      providers: providers(),
      auth: { enabled: true, adminKey: ADMIN_KEY, hashSecret: HASH_SECRET },
    });
    try {
      const created = await call(`${gateway.url}/v1/admin/keys`, {
        method: 'POST',
        key: ADMIN_KEY,
        body: { name: 'tenant' },
      });
      const tenant = (JSON.parse(created.text) as { key: string }).key;
      const metrics = `${gateway.url}/metrics`;
      const status = `${gateway.url}/v1/providers/status`;
      expect((await call(metrics)).status).toBe(401);
      const asTenant = await call(metrics, { key: tenant });
      expect(asTenant.status).toBe(401);
      expect(JSON.parse(asTenant.text)).toMatchObject({ error: { code: 'invalid_api_key' } });
      expect((await call(metrics, { key: ADMIN_KEY })).status).toBe(200);
      const scraped = await call(metrics, { key: METRICS_TOKEN });
      expect(scraped.status).toBe(200);
      expect(scraped.text).toContain('gateway_http_requests_total');
      expect((await call(status)).status).toBe(401);
      expect((await call(status, { key: tenant })).status).toBe(401);
      expect((await call(status, { key: METRICS_TOKEN })).status).toBe(401);
      expect((await call(status, { key: ADMIN_KEY })).status).toBe(200);
      // A tenant's model calls still work.
      const chat = await call(`${gateway.url}/v1/chat/completions`, {
        method: 'POST',
        key: tenant,
        body: ask('cheap/c-model'),
      });
      expect(chat.status).toBe(200);
    } finally {
      await gateway.close();
    }
  });

  it('server.metricsAccess: public opens /metrics alone', async () => {
    const gateway = await startGateway({
      server: { metricsAccess: 'public' },
      providers: providers(),
      auth: { enabled: true, adminKey: ADMIN_KEY, hashSecret: HASH_SECRET },
    });
    try {
      expect((await call(`${gateway.url}/metrics`)).status).toBe(200);
      expect((await call(`${gateway.url}/v1/providers/status`)).status).toBe(401);
    } finally {
      await gateway.close();
    }
  });

  it('with auth off (the embedded default) both stay open, as before', async () => {
    const gateway = await startGateway({ providers: providers() });
    try {
      expect((await call(`${gateway.url}/metrics`)).status).toBe(200);
      expect((await call(`${gateway.url}/v1/providers/status`)).status).toBe(200);
    } finally {
      await gateway.close();
    }
  });
});
