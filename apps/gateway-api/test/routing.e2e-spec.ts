import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import OpenAI from 'openai';
import { request } from 'undici';
import type { TestGateway } from './harness';
import { apiErrorOf, startGateway } from './harness';

const ask = { messages: [{ role: 'user' as const, content: 'hello' }] };

/**
 * Issue 3, must-shows 1 and 4: retries, fallback and honest streaming failover, seen by
 * the official openai client. Two providers on one fake server, told apart by model id.
 */
describe('routing and fallback (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    fake = await startFakeProvider();
    const provider = (model: string, extra: Record<string, unknown> = {}) => ({
      kind: 'openai-compatible',
      baseUrl: `${fake.url}/v1`,
      models: [model],
      maxRetries: 2,
      retry: { baseDelayMs: 20, maxDelayMs: 100, maxRetryAfterMs: 5_000 },
      timeoutMs: 400,
      firstTokenTimeoutMs: 400,
      // High thresholds: these tests look at single requests, not at breakers.
      breaker: { failureThreshold: 1000, minRequests: 1000 },
      ...extra,
    });
    gateway = await startGateway({
      providers: { primary: provider('p-model'), backup: provider('b-model') },
      routes: {
        main: { targets: ['primary/p-model', 'backup/b-model'] },
        patient: { targets: ['primary/p-model', 'backup/b-model'], retryBeforeFallback: true },
        strict: { targets: ['primary/p-model', 'backup/b-model'], fallbackOn: ['timeout'] },
      },
    });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const primaryOnly = { model: 'p-model' };
  const calls = (model: string) =>
    fake.requests.filter((r) => r.model === model && r.operation === 'chat');

  it('429 with Retry-After: 1 on a patient route is retried after 1–1.5 s on the same provider', async () => {
    fake.enqueue({ status: 429, retryAfter: '1', errorMessage: 'slow down' }, 1, primaryOnly);
    const { data, response } = await gateway.client.chat.completions
      .create({ model: 'patient', ...ask })
      .withResponse();
    expect(response.headers.get('x-gateway-provider')).toBe('primary');
    expect(data.choices[0].message.content).toBe('hello');
    const [first, second] = calls('p-model');
    const waited = second.receivedAt - first.receivedAt;
    expect(waited).toBeGreaterThanOrEqual(1000);
    // 1 s + at most 250 ms of jitter; the rest is margin for a loaded machine.
    expect(waited).toBeLessThan(1_750);
    expect(response.headers.get('x-gateway-attempts')).toBe('2');
    expect(response.headers.get('x-gateway-trace')).toBe(
      'primary/p-model=rate_limited, primary/p-model=ok',
    );
  });

  it('429 on the default route skips to the fallback at once', async () => {
    fake.enqueue({ status: 429, retryAfter: '1' }, 1, primaryOnly);
    const { response } = await gateway.client.chat.completions
      .create({ model: 'main', ...ask })
      .withResponse();
    expect(response.headers.get('x-gateway-provider')).toBe('backup');
    expect(response.headers.get('x-gateway-trace')).toBe(
      'primary/p-model=rate_limited, backup/b-model=ok',
    );
    expect(calls('p-model')).toHaveLength(1);
  });

  it('500 falls back', async () => {
    fake.enqueue({ status: 500 }, 1, primaryOnly);
    const { response } = await gateway.client.chat.completions
      .create({ model: 'main', ...ask })
      .withResponse();
    expect(response.headers.get('x-gateway-provider')).toBe('backup');
    expect(response.headers.get('x-gateway-trace')).toBe(
      'primary/p-model=server_error, backup/b-model=ok',
    );
  });

  it('a timeout falls back', async () => {
    fake.enqueue({ fault: 'hang' }, 1, primaryOnly);
    const { response } = await gateway.client.chat.completions
      .create({ model: 'main', ...ask })
      .withResponse();
    expect(response.headers.get('x-gateway-provider')).toBe('backup');
    expect(response.headers.get('x-gateway-trace')).toBe(
      'primary/p-model=timeout, backup/b-model=ok',
    );
  });

  it('400 is neither retried nor sent to the fallback: the caller gets it with the provider message', async () => {
    fake.enqueue({ status: 400, errorMessage: "Unsupported value: 'logit_bias'" }, 1, primaryOnly);
    const error = await apiErrorOf(
      gateway.client.chat.completions.create({ model: 'patient', ...ask }),
    );
    expect(error).toBeInstanceOf(OpenAI.BadRequestError);
    expect(error.message).toContain("Unsupported value: 'logit_bias'");
    expect(fake.requests.filter((r) => r.operation === 'chat')).toHaveLength(1);
    expect(error.headers?.get('x-gateway-trace')).toBe('primary/p-model=bad_request');
  });

  it('fallbackOn limits what falls back', async () => {
    fake.enqueue({ status: 500 }, 1, primaryOnly);
    const error = await apiErrorOf(
      gateway.client.chat.completions.create({ model: 'strict', ...ask }),
    );
    expect(error.status).toBe(502);
    expect(calls('b-model')).toHaveLength(0);
  });

  it('an explicit provider/model gets no silent fallback, unless the request asks for a chain', async () => {
    fake.enqueue({ status: 500 }, -1, primaryOnly);
    const error = await apiErrorOf(
      gateway.client.chat.completions.create({ model: 'primary/p-model', ...ask }),
    );
    expect(error.status).toBe(502);
    expect(calls('b-model')).toHaveLength(0);
    // Alone in its chain, the primary got its retries (maxRetries: 2) and nothing else.
    expect(error.headers?.get('x-gateway-trace')).toBe(
      'primary/p-model=server_error, primary/p-model=server_error, primary/p-model=server_error',
    );

    const { response } = await gateway.client.chat.completions
      .create(
        { model: 'primary/p-model', ...ask },
        { headers: { 'x-gateway-chain': 'primary/p-model,backup/b-model' } },
      )
      .withResponse();
    expect(response.headers.get('x-gateway-provider')).toBe('backup');
  });

  it('a stream that fails before its first byte is served by the fallback, and the client cannot tell', async () => {
    fake.enqueue({ text: 'never sent', fault: 'error-event', faultAfterChunks: 0 }, 1, primaryOnly);
    const stream = await gateway.client.chat.completions.create({
      model: 'main',
      stream: true,
      ...ask,
    });
    let text = '';
    for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    expect(text).toBe('hello');
    expect(calls('p-model')).toHaveLength(1);
    expect(calls('b-model')).toHaveLength(1);
  });

  it('a stream whose first token is too slow falls back too', async () => {
    fake.enqueue({ ttftMs: 3_000 }, 1, primaryOnly);
    const raw = await request(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model: 'main', stream: true, ...ask }),
    });
    const text = await raw.body.text();
    expect(raw.headers['x-gateway-provider']).toBe('backup');
    expect(raw.headers['x-gateway-trace']).toBe('primary/p-model=timeout, backup/b-model=ok');
    expect(text.trim().endsWith('data: [DONE]')).toBe(true);
  });

  it('a stream cut after its first byte never ends as a success', async () => {
    fake.enqueue(
      { text: 'one two three four', fault: 'disconnect', faultAfterChunks: 2 },
      1,
      primaryOnly,
    );
    const stream = await gateway.client.chat.completions.create({
      model: 'main',
      stream: true,
      ...ask,
    });
    let text = '';
    const failure = await (async () => {
      for await (const chunk of stream) text += chunk.choices[0]?.delta.content ?? '';
    })().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(failure).toBeInstanceOf(OpenAI.APIError);
    expect(text).toBe('one ');
    expect(calls('b-model')).toHaveLength(0); // no silent second answer after bytes went out
  });
});
