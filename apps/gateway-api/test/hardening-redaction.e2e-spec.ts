import type { FakeProviderServer, FakeScript } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import type { TaskJobView } from '@ai-gateway/resume';
import type { Server, ServerResponse } from 'node:http';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pollUntil } from './gateway-process';
import type { TestGateway } from './harness';
import { apiErrorOf, startGateway } from './harness';

/**
 * Keys with no recognisable shape: only the configured-secret half of the redaction can
 * find them. One per provider, so the fake can script each provider by the key it carries.
 */
const KEYS = {
  openai: 'Op3nAiKy-Lx9vQ2mT7rZ4wN8cB5hD',
  vllm: 'VlLmKy-Qw3eR5tY7uI9oP1aS2dF',
  anthropic: 'AnThKy-Zx1cV3bN5mQ7wE9rT2yU',
  gemini: 'GeMiKy-Hj4kL6zX8cV0bN2mQ5wE',
  ollama: 'OlLaKy-Rt6yU8iO0pA2sD4fG7hJ',
  stub: 'StUbKy-Mn5bV7cX9zL1kJ3hG6fD',
} as const;
const ADMIN_KEY = 'admin-Kq4Zr8Tn2Vx6Lp0Wm3';
/** A gateway key in the keys module's format (`gk_` + 24 random bytes, base64url). */
const GATEWAY_KEY = 'gk_Q2x9vT7mPz4LbN8rW1cK5sHj0aYdFe3U';
const OPENAI_SHAPED = 'sk-proj-Ab3dE5fG7hI9jK1lMn0pQ2rS4';
const SECRETS = [...Object.values(KEYS), ADMIN_KEY, GATEWAY_KEY, OPENAI_SHAPED];

/** The error text a careless provider (or the proxy in front of it) sends back. */
const quoting = (key: string): string =>
  `Incorrect API key provided: ${key}. Authorization: Bearer ${key}; admin ${ADMIN_KEY}; ` +
  `caller ${GATEWAY_KEY}; also ${OPENAI_SHAPED}`;

type StubMode = 'error-event' | 'proxy-page';

/**
 * An OpenAI-compatible upstream for what the fake provider cannot script: an error event
 * in a 200 stream with text of our choosing, and a proxy's HTML error page.
 */
function startStub(): Promise<{ server: Server; url: string; modes: StubMode[] }> {
  const modes: StubMode[] = [];
  const server = createServer((req, res: ServerResponse) => {
    req.resume();
    req.on('end', () => {
      const mode = modes.shift();
      if (mode === 'proxy-page') {
        res.writeHead(502, { 'content-type': 'text/html' });
        res.end(
          `<html><body>502 Bad Gateway: upstream refused ${quoting(KEYS.stub)}</body></html>`,
        );
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      const chunk = {
        id: 'c1',
        object: 'chat.completion.chunk',
        created: 0,
        model: 'chat-model',
        choices: [{ index: 0, delta: { role: 'assistant', content: 'Hel' }, finish_reason: null }],
      };
      res.write(`data: ${JSON.stringify(chunk)}\n\n`);
      const error = { message: quoting(KEYS.stub), type: 'server_error', code: null };
      res.end(`data: ${JSON.stringify({ error })}\n\n`);
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({
        server,
        url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
        modes,
      }),
    ),
  );
}

/**
 * Issue 13 item 6: provider error text reached the caller verbatim, keys included. On each
 * path an upstream quotes its configured key (and the admin key, a gateway key and an
 * OpenAI-shaped key); the caller's error body, the SSE error event, the job's error and
 * the gateway's log lines must carry none of them, while the error stays informative.
 */
describe('provider error text is redacted on every path (e2e)', () => {
  let fake: FakeProviderServer;
  let stub: Awaited<ReturnType<typeof startStub>>;
  let gateway: TestGateway;

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
    stub = await startStub();
    const entry = (kind: string, baseUrl: string, key: string) => ({
      kind,
      baseUrl,
      apiKeys: [key],
      models: ['chat-model'],
      maxRetries: 0,
    });
    gateway = await startGateway({
      providers: {
        openai: entry('openai', `${fake.url}/openai/v1`, KEYS.openai),
        vllm: entry('openai-compatible', `${fake.url}/v1`, KEYS.vllm),
        anthropic: entry('anthropic', `${fake.url}/anthropic`, KEYS.anthropic),
        gemini: entry('gemini', `${fake.url}/gemini`, KEYS.gemini),
        ollama: entry('ollama', `${fake.url}/ollama`, KEYS.ollama),
        stub: entry('openai-compatible', `${stub.url}/v1`, KEYS.stub),
      },
      // A 401 rests the openai key (issue item 3), so later paths go through vllm.
      routes: { resume: { targets: ['vllm/chat-model'] } },
      cache: { backend: 'disabled' },
      auth: { adminKey: ADMIN_KEY, hashSecret: 'redaction-e2e-hash-secret-0123456789' },
      tasks: { queue: { attempts: 1 } },
      logging: { level: 'debug' },
    });
  });

  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
    await new Promise((resolve) => stub?.server.close(resolve));
  });

  afterEach(() => fake.reset());

  /** The provider (by its key) answers the next call with an error quoting the key. */
  const failNext = (provider: keyof typeof KEYS, script: FakeScript): void =>
    fake.enqueue({ errorMessage: quoting(KEYS[provider]), ...script }, 1, {
      apiKey: KEYS[provider],
    });

  function expectNoSecret(text: string): void {
    for (const secret of SECRETS) expect(text).not.toContain(secret);
  }

  const chat = (model: string) =>
    gateway.client.chat.completions.create({
      model,
      messages: [{ role: 'user', content: 'hi' }],
    });

  it.each<[string, keyof typeof KEYS, FakeScript, number]>([
    ['openai, a 401 JSON error', 'openai', { status: 401 }, 502],
    ['openai-compatible, a 500 JSON error', 'vllm', { status: 500 }, 502],
    ['openai-compatible, a 400 JSON error', 'vllm', { status: 400 }, 400],
    ['anthropic, a 400 error', 'anthropic', { status: 400 }, 400],
    ['gemini, a 403 error', 'gemini', { status: 403 }, 502],
    ['ollama, a 500 error', 'ollama', { status: 500 }, 502],
  ])(
    '%s: the error body names the failure, not the key',
    async (_path, provider, script, status) => {
      failNext(provider, script);
      const error = await apiErrorOf(chat(`${provider}/chat-model`));
      expect(error.status).toBe(status);
      const body = JSON.stringify(error.error);
      expectNoSecret(body);
      expect(error.message).toContain(`Provider ${provider} answered`);
      expect(error.message).toContain('Incorrect API key provided: [redacted]');
    },
  );

  it('a stream refused before its first byte: the JSON error carries no key', async () => {
    failNext('vllm', { status: 400 });
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'vllm/chat-model',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(response.status).toBe(400);
    const text = await response.text();
    expectNoSecret(text);
    expect(text).toContain('[redacted]');
  });

  it('an error event inside a 200 stream: the SSE error event carries no key', async () => {
    stub.modes.push('error-event');
    const response = await fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'stub/chat-model',
        stream: true,
        messages: [{ role: 'user', content: 'hi' }],
      }),
    });
    expect(response.status).toBe(200);
    const text = await response.text();
    expect(text).toContain('Hel');
    expect(text).toContain('"error"');
    expect(text).toContain('Incorrect API key provided: [redacted]');
    expectNoSecret(text);

    // The official client reads the same event as an APIError, without the key.
    stub.modes.push('error-event');
    const stream = await gateway.client.chat.completions.create({
      model: 'stub/chat-model',
      stream: true,
      messages: [{ role: 'user', content: 'hi' }],
    });
    const failure = await apiErrorOf(
      (async () => {
        for await (const chunk of stream) void chunk;
      })(),
    );
    expectNoSecret(`${failure.message} ${JSON.stringify(failure.error)}`);
  });

  it("a proxy's HTML error page in front of the provider: the error carries no key", async () => {
    stub.modes.push('proxy-page');
    const error = await apiErrorOf(chat('stub/chat-model'));
    expect(error.status).toBe(502);
    expectNoSecret(JSON.stringify(error.error));
    expect(error.message).toContain('502 Bad Gateway: upstream refused');
  });

  it("a task job's stored error carries no key", async () => {
    failNext('vllm', { status: 400 });
    const job = await gateway.client.post<TaskJobView>('/tasks', {
      body: { type: 'parse', input: { resumeText: 'Jane Doe, engineer.' }, async: true },
    });
    const failed = await pollUntil(
      () => gateway.client.get<TaskJobView>(`/jobs/${job.id}`),
      (view) => view.state === 'completed' || view.state === 'failed',
      { timeoutMs: 20_000, everyMs: 20 },
    );
    expect(failed.state).toBe('failed');
    expect(failed.error?.message).toContain('[redacted]');
    expectNoSecret(JSON.stringify(failed));
  }, 30_000);

  it("the gateway's log lines (debug level) carry no key", () => {
    expect(gateway.logs.length).toBeGreaterThan(0);
    expectNoSecret(gateway.logs.join('\n'));
  });
});
