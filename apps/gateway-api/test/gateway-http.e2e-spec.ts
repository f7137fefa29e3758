import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import OpenAI from 'openai';
import { request } from 'undici';
import type { TestGateway } from './harness';
import { startGateway } from './harness';

const CANARY_PROVIDER_KEY = 'sk-canary-provider-key-4f9c1a';
const PROMPT_CANARY = 'my secret prompt text 7d2e';

async function post(
  url: string,
  body: string,
  headers: Record<string, string> = {},
): Promise<{
  status: number;
  json: { error: Record<string, unknown> };
  headers: Record<string, unknown>;
}> {
  const res = await request(url, {
    method: 'POST',
    body,
    headers: { 'content-type': 'application/json', ...headers },
  });
  const text = await res.body.text();
  return {
    status: res.statusCode,
    json: (text ? JSON.parse(text) : undefined) as { error: Record<string, unknown> },
    headers: res.headers,
  };
}

describe('gateway-api HTTP behaviour', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  let chatUrl: string;

  beforeAll(async () => {
    fake = await startFakeProvider();
    gateway = await startGateway({
      server: { bodyLimitBytes: 64 * 1024 },
      providers: {
        openai: {
          kind: 'openai',
          baseUrl: `${fake.url}/openai/v1`,
          apiKeys: [CANARY_PROVIDER_KEY],
          models: ['gpt-test'],
          // One attempt per request: these tests are about how answers are mapped, not retried.
          maxRetries: 0,
          timeoutMs: 2000,
          // These tests fail the provider on purpose, often: keep its circuit closed.
          breaker: { failureThreshold: 1000, minRequests: 1000 },
        },
        // Its own key: the 429 test rests that key for its Retry-After.
        limited: {
          kind: 'openai',
          baseUrl: `${fake.url}/openai/v1`,
          apiKeys: ['sk-limited'],
          models: ['gpt-test'],
          maxRetries: 0,
        },
      },
      routes: { fast: { targets: ['openai/gpt-test'] } },
    });
    chatUrl = `${gateway.url}/v1/chat/completions`;
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  describe('bad input gets a 400-class OpenAI error naming the field', () => {
    it.each([
      ['malformed JSON', '{"model": "openai/gpt-test", "messages": [', 400, 'body', 'invalid_json'],
      ['a non-object body', '[1,2]', 400, 'body', 'invalid_request'],
      [
        'a missing model',
        '{"messages":[{"role":"user","content":"a"}]}',
        400,
        'model',
        'invalid_request',
      ],
      [
        'a model of the wrong type',
        '{"model":5,"messages":[{"role":"user","content":"a"}]}',
        400,
        'model',
        'invalid_request',
      ],
      [
        'an unknown model (404, as OpenAI answers it)',
        '{"model":"nobody/none","messages":[{"role":"user","content":"a"}]}',
        404,
        'model',
        'model_not_found',
      ],
      [
        'empty messages',
        '{"model":"openai/gpt-test","messages":[]}',
        400,
        'messages',
        'invalid_request',
      ],
      [
        'a bad role',
        '{"model":"openai/gpt-test","messages":[{"role":"robot","content":"a"}]}',
        400,
        'messages[0].role',
        'invalid_request',
      ],
      [
        'temperature as a string',
        '{"model":"openai/gpt-test","temperature":"hot","messages":[{"role":"user","content":"a"}]}',
        400,
        'temperature',
        'invalid_request',
      ],
      [
        'stream as a string',
        '{"model":"openai/gpt-test","stream":"yes","messages":[{"role":"user","content":"a"}]}',
        400,
        'stream',
        'invalid_request',
      ],
    ])('%s', async (_name, body, status, param, code) => {
      const res = await post(chatUrl, body);
      expect(res.status).toBe(status);
      expect(res.json).toEqual({
        error: { message: expect.any(String), type: 'invalid_request_error', param, code },
      });
      expect(res.json.error.message).not.toMatch(/at .*\.(ts|js):\d+/);
      expect(fake.requests).toHaveLength(0);
    });

    it('a body over the limit is 413', async () => {
      const res = await post(
        chatUrl,
        JSON.stringify({
          model: 'openai/gpt-test',
          messages: [{ role: 'user', content: 'x'.repeat(70 * 1024) }],
        }),
      );
      expect(res.status).toBe(413);
      expect(res.json.error).toMatchObject({
        type: 'invalid_request_error',
        code: 'payload_too_large',
      });
    });

    it('an unknown endpoint is a 404 in the same shape', async () => {
      const res = await post(`${gateway.url}/v1/nothing`, '{}');
      expect(res.status).toBe(404);
      expect(res.json.error.code).toBe('not_found');
    });
  });

  it('passes fields the gateway does not know through to an OpenAI-compatible provider', async () => {
    const res = await post(
      chatUrl,
      JSON.stringify({
        model: 'openai/gpt-test',
        messages: [{ role: 'user', content: 'hi' }],
        reasoning_effort: 'low',
        brand_new_parameter: { nested: [1, 2] },
      }),
    );
    expect(res.status).toBe(200);
    expect(fake.requests[0].body).toMatchObject({
      model: 'gpt-test',
      reasoning_effort: 'low',
      brand_new_parameter: { nested: [1, 2] },
    });
  });

  it("echoes a caller's x-request-id as x-client-request-id (the request id is the gateway's) and resolves a route alias", async () => {
    const res = await post(
      chatUrl,
      JSON.stringify({ model: 'fast', messages: [{ role: 'user', content: 'hi' }] }),
      { 'x-request-id': 'trace-123' },
    );
    expect(res.status).toBe(200);
    expect(res.headers['x-request-id']).toMatch(/^[0-9a-f-]{36}$/);
    expect(res.headers).toMatchObject({
      'x-client-request-id': 'trace-123',
      'x-gateway-route': 'fast',
      'x-gateway-provider': 'openai',
      'x-gateway-model': 'gpt-test',
    });
  });

  it('maps provider errors: 429 keeps Retry-After, 400 keeps the provider message, 500 is a 502', async () => {
    fake.enqueue({ status: 429, retryAfter: '7', errorMessage: 'Rate limit reached for gpt-test' });
    const limited = await post(
      chatUrl,
      JSON.stringify({ model: 'limited/gpt-test', messages: [{ role: 'user', content: 'a' }] }),
    );
    expect(limited.status).toBe(429);
    expect(limited.headers['retry-after']).toBe('7');
    expect(limited.json.error).toMatchObject({ type: 'rate_limit_error', code: 'rate_limited' });

    fake.enqueue({ status: 400, errorMessage: "Invalid value for 'logit_bias'" });
    const bad = await post(
      chatUrl,
      JSON.stringify({ model: 'openai/gpt-test', messages: [{ role: 'user', content: 'a' }] }),
    );
    expect(bad.status).toBe(400);
    expect(bad.json.error.message).toContain("Invalid value for 'logit_bias'");

    fake.enqueue({ status: 500 });
    const broken = await post(
      chatUrl,
      JSON.stringify({ model: 'openai/gpt-test', messages: [{ role: 'user', content: 'a' }] }),
    );
    expect(broken.status).toBe(502);
    expect(broken.json.error.code).toBe('server_error');
  });

  it('a provider that never answers times out as 504', async () => {
    fake.enqueue({ fault: 'hang' });
    const res = await post(
      chatUrl,
      JSON.stringify({ model: 'openai/gpt-test', messages: [{ role: 'user', content: 'a' }] }),
    );
    expect(res.status).toBe(504);
    expect(res.json.error.code).toBe('timeout');
  });

  it.each(['disconnect', 'error-event', 'malformed'] as const)(
    'a stream that fails after it started (%s) ends with an error event, never [DONE]',
    async (fault) => {
      fake.enqueue({ text: 'alpha beta gamma delta', fault, faultAfterChunks: 3 });
      const raw = await request(chatUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'openai/gpt-test',
          stream: true,
          messages: [{ role: 'user', content: 'a' }],
        }),
      });
      const text = await raw.body.text();
      expect(raw.statusCode).toBe(200);
      expect(text).toContain('"content":"alpha "');
      expect(text).not.toContain('[DONE]');
      const last = text.trim().split('\n\n').pop()!;
      expect(JSON.parse(last.replace(/^data: /, ''))).toMatchObject({
        error: { type: 'api_error' },
      });

      fake.enqueue({ text: 'alpha beta gamma delta', fault, faultAfterChunks: 3 });
      const stream = await gateway.client.chat.completions.create({
        model: 'openai/gpt-test',
        stream: true,
        messages: [{ role: 'user', content: 'a' }],
      });
      await expect(
        (async () => {
          for await (const _ of stream) {
            /* drain */
          }
        })(),
      ).rejects.toBeInstanceOf(OpenAI.APIError);
    },
  );

  it('a stream that fails before its first byte is a plain JSON error', async () => {
    fake.enqueue({ status: 503 });
    const error = await gateway.client.chat.completions
      .create({
        model: 'openai/gpt-test',
        stream: true,
        messages: [{ role: 'user', content: 'a' }],
      })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect((error as InstanceType<typeof OpenAI.APIError>).status).toBe(502);
  });

  it('a client that leaves mid-stream cancels the provider call', async () => {
    fake.enqueue({ text: 'one two three four five six seven eight', chunkDelayMs: 300 });
    const controller = new AbortController();
    const stream = await gateway.client.chat.completions.create(
      { model: 'openai/gpt-test', stream: true, messages: [{ role: 'user', content: 'a' }] },
      { signal: controller.signal },
    );
    for await (const chunk of stream) {
      if (chunk.choices[0]?.delta.content) break; // leaves after the first words
    }
    controller.abort();
    // Condition-based wait (no timing assumption): the gateway records the cancellation.
    const cancelled =
      /gateway_requests_total\{provider="openai",model="gpt-test",operation="chat_stream",status="cancelled"\} 1/;
    let text = '';
    for (let i = 0; i < 100 && !cancelled.test(text); i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      text = await (await request(`${gateway.url}/metrics`)).body.text();
    }
    expect(text).toMatch(cancelled);
  });

  it('exposes Prometheus metrics and health', async () => {
    await gateway.client.chat.completions.create({
      model: 'openai/gpt-test',
      messages: [{ role: 'user', content: 'a' }],
    });
    const metrics = await request(`${gateway.url}/metrics`);
    const text = await metrics.body.text();
    expect(text).toMatch(
      /gateway_requests_total\{provider="openai",model="gpt-test",operation="chat",status="ok"\} [1-9]/,
    );
    expect(text).toContain('gateway_request_duration_seconds_bucket');
    expect(text).toContain('gateway_time_to_first_token_seconds');

    const live = await request(`${gateway.url}/health/live`);
    expect(await live.body.json()).toEqual({ status: 'ok' });
    const ready = await request(`${gateway.url}/health/ready`);
    expect(ready.statusCode).toBe(200);
    expect(await ready.body.json()).toMatchObject({
      status: 'ok',
      info: { providers: { status: 'up', configured: ['openai', 'limited'] } },
    });
  });

  it('logs one JSON line per request with its id, and never the prompt or a key', async () => {
    await gateway.client.chat.completions.create(
      { model: 'openai/gpt-test', messages: [{ role: 'user', content: PROMPT_CANARY }] },
      { headers: { 'x-request-id': 'log-check-1' } },
    );
    const line = gateway.logs
      .map((l) => JSON.parse(l) as Record<string, unknown>)
      .find((l) => l.clientRequestId === 'log-check-1');
    expect(line).toMatchObject({
      msg: 'request',
      status: 200,
      provider: 'openai',
      model: 'gpt-test',
      route: '/v1/chat/completions',
    });
    const all = gateway.logs.join('\n');
    expect(all).not.toContain(PROMPT_CANARY);
    expect(all).not.toContain(CANARY_PROVIDER_KEY);
    expect(all).not.toContain('gateway-test-key');
    // And the key did reach the provider.
    expect(fake.requests[0].apiKey).toBe(CANARY_PROVIDER_KEY);
  });
});

describe('gateway-api embedded default (no provider configured)', () => {
  let gateway: TestGateway;

  beforeAll(async () => {
    gateway = await startGateway({});
  });
  afterAll(() => gateway.close());

  it('answers from the local fake, marked as such in models and headers', async () => {
    const { data, response } = await gateway.client.chat.completions
      .create({ model: 'local-fake/echo', messages: [{ role: 'user', content: 'ping' }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe('[local fake provider, not a real model] ping');
    expect(response.headers.get('x-gateway-provider')).toBe('local-fake');
    expect(response.headers.get('x-gateway-fake')).toContain('not a real model');
    const models = await gateway.client.models.list();
    expect(models.data[0]).toMatchObject({
      id: 'local-fake/echo',
      owned_by: 'local-fake (fake provider, not a real model)',
    });
  });
});
