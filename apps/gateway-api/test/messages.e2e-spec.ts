import Anthropic from '@anthropic-ai/sdk';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { UsageWriter } from '@ai-gateway/core';
import { TokenCounter, UsageRepository } from '@ai-gateway/core/testing';
import { randomBytes } from 'node:crypto';
import { createGatewayKey } from './gateway-admin';
import type { TestGateway } from './harness';
import { DATABASE_URL, dropSchema, startGateway } from './harness';

const ADMIN_KEY = 'admin-messages-e2e-0123456789';
const WEATHER_TOOL = {
  name: 'get_weather',
  description: 'Current weather of a city',
  input_schema: {
    type: 'object' as const,
    properties: { city: { type: 'string' } },
    required: ['city'],
  },
};

/**
 * Issue 15, must-shows 1 and 2 for Anthropic's Messages API: the official `@anthropic-ai/sdk`
 * (create, stream, countTokens) against the gateway, served through the unified chat path
 * by the OpenAI, Gemini and Anthropic kinds of the fake provider, with fallback; the honest
 * streaming contract; usage rows.
 */
describe('Anthropic Messages API (e2e, official Anthropic SDK)', () => {
  const schema = `messages_e2e_${randomBytes(5).toString('hex')}`;
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  let client: Anthropic;

  /** The usage row of the request sent with `x-client-request-id: id`. */
  const rowOf = async (id: string) => {
    await gateway.app.get(UsageWriter).flush();
    return gateway.app.get(UsageRepository).findByClientRequestId(id);
  };
  const tagged = (id: string) => ({ headers: { 'x-client-request-id': id } });

  beforeAll(async () => {
    fake = await startFakeProvider();
    const provider = (kind: string, path: string, model: string) => ({
      kind,
      baseUrl: `${fake.url}/${path}`,
      apiKeys: [`${kind}-upstream-key`],
      models: [model],
      maxRetries: 0,
    });
    gateway = await startGateway({
      providers: {
        openai: provider('openai', 'openai/v1', 'gpt-4o-mini'),
        gemini: provider('gemini', 'gemini', 'gemini-2.0-flash'),
        anthropic: provider('anthropic', 'anthropic', 'claude-test-model'),
      },
      routes: { duo: { targets: ['openai/gpt-4o-mini', 'gemini/gemini-2.0-flash'] } },
      auth: { enabled: true, adminKey: ADMIN_KEY, hashSecret: 'hash-secret-for-tests-0123456789' },
      usage: { databaseUrl: DATABASE_URL, schema },
    });
    const key = await createGatewayKey(gateway.url, ADMIN_KEY, { name: 'sdk', multiUser: true });
    client = new Anthropic({ baseURL: gateway.url, apiKey: key.key, maxRetries: 0 });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
    await dropSchema(schema);
  });
  beforeEach(() => fake.reset());

  describe.each([
    ['openai', 'openai/gpt-4o-mini'],
    ['gemini', 'gemini/gemini-2.0-flash'],
    ['anthropic', 'anthropic/claude-test-model'],
  ])('served by the %s kind', (format, model) => {
    it('messages.create: a text answer as an Anthropic message', async () => {
      fake.enqueue({ text: `hello from ${format}`, usage: { prompt: 21, completion: 4 } }, 1, {
        format,
      });
      const { data, response } = await client.messages
        .create({
          model,
          max_tokens: 64,
          system: 'Be brief.',
          messages: [{ role: 'user', content: 'Say hello' }],
        })
        .withResponse();
      expect(data).toMatchObject({
        type: 'message',
        role: 'assistant',
        content: [{ type: 'text', text: `hello from ${format}` }],
        stop_reason: 'end_turn',
        stop_sequence: null,
        usage: { input_tokens: 21, output_tokens: 4, cache_read_input_tokens: 0 },
      });
      expect(data.id).toMatch(/^msg_[0-9a-f]{32}$/);
      expect(response.headers.get('x-gateway-provider')).toBe(format);
      expect(fake.requests.at(-1)).toMatchObject({ format, operation: 'chat', stream: false });
    });

    it('messages.stream: tool use with input_json_delta, and the SDK final message', async () => {
      fake.enqueue(
        {
          toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }],
          finishReason: 'tool_calls',
        },
        1,
        { format },
      );
      const stream = client.messages.stream({
        model,
        max_tokens: 64,
        tools: [WEATHER_TOOL],
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
      });
      const events: string[] = [];
      let json = '';
      stream.on('streamEvent', (event) => {
        events.push(event.type);
        if (event.type === 'content_block_delta' && event.delta.type === 'input_json_delta') {
          json += event.delta.partial_json;
        }
      });
      const final = await stream.finalMessage();
      expect(JSON.parse(json)).toEqual({ city: 'Paris' });
      expect(events[0]).toBe('message_start');
      expect(events.slice(-2)).toEqual(['message_delta', 'message_stop']);
      expect(events).toContain('content_block_start');
      expect(final.stop_reason).toBe('tool_use');
      expect(final.content).toMatchObject([
        { type: 'tool_use', id: expect.any(String), name: 'get_weather', input: { city: 'Paris' } },
      ]);
      // message_start says 0: the prompt's size arrives with message_delta.
      expect(final.usage.input_tokens).toBeGreaterThan(0);
    });
  });

  it('messages.create: a tool round trip (tool_use out, tool_result back as a tool message)', async () => {
    fake.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Oslo' } }] }, 1, {
      format: 'openai',
    });
    const ask: Anthropic.MessageParam = { role: 'user', content: 'Weather in Oslo?' };
    const first = await client.messages.create({
      model: 'duo',
      max_tokens: 64,
      tools: [WEATHER_TOOL],
      tool_choice: { type: 'any' },
      messages: [ask],
    });
    expect(first.stop_reason).toBe('tool_use');
    const call = first.content.find((b): b is Anthropic.ToolUseBlock => b.type === 'tool_use');
    expect(call).toMatchObject({ name: 'get_weather', input: { city: 'Oslo' } });
    const sentFirst = fake.requests.at(-1)?.body as Record<string, unknown>;
    expect(sentFirst).toMatchObject({ tool_choice: 'required', max_tokens: 64 });

    fake.enqueue({ text: 'Sunny, 21 °C.' }, 1, { format: 'openai' });
    const second = await client.messages.create({
      model: 'duo',
      max_tokens: 64,
      tools: [WEATHER_TOOL],
      messages: [
        ask,
        { role: 'assistant', content: first.content },
        {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: call!.id, content: '21 °C, sunny' }],
        },
      ],
    });
    expect(second.content).toEqual([{ type: 'text', text: 'Sunny, 21 °C.' }]);
    const sent = fake.requests.at(-1)?.body as { messages: unknown[] };
    expect(sent.messages.slice(1)).toEqual([
      {
        role: 'assistant',
        content: null,
        tool_calls: [
          {
            id: call!.id,
            type: 'function',
            function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
          },
        ],
      },
      { role: 'tool', tool_call_id: call!.id, content: '21 °C, sunny' },
    ]);
  });

  it('falls back from the OpenAI kind to the Gemini kind (create and stream)', async () => {
    fake.enqueue({ status: 500, errorMessage: 'upstream down' }, 2, { format: 'openai' });
    fake.enqueue({ text: 'gemini answered' }, 2, { format: 'gemini' });
    const { data, response } = await client.messages
      .create({ model: 'duo', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] })
      .withResponse();
    expect(data.content).toEqual([{ type: 'text', text: 'gemini answered' }]);
    expect(response.headers.get('x-gateway-provider')).toBe('gemini');
    expect(response.headers.get('x-gateway-trace')).toMatch(
      /openai\/gpt-4o-mini=server_error.*gemini\/gemini-2\.0-flash=ok/,
    );

    // A failure before the first byte of a stream falls back too: the client sees one answer.
    const stream = client.messages.stream(
      { model: 'duo', max_tokens: 32, messages: [{ role: 'user', content: 'hi' }] },
      tagged('messages-fallback-stream'),
    );
    const final = await stream.finalMessage();
    expect(final.content).toEqual([{ type: 'text', text: 'gemini answered' }]);
    expect(await rowOf('messages-fallback-stream')).toMatchObject({
      ingress: 'messages',
      provider: 'gemini',
      status: 'ok',
      stream: true,
      streamCompleted: true,
      attempts: 2,
    });
  });

  it('a cut after the first event ends with an error event, never message_stop; the row says not completed', async () => {
    fake.enqueue(
      { text: 'one two three four five six seven', fault: 'disconnect', faultAfterChunks: 3 },
      1,
      { format: 'openai' },
    );
    const stream = client.messages.stream(
      {
        model: 'openai/gpt-4o-mini',
        max_tokens: 64,
        messages: [{ role: 'user', content: 'count' }],
      },
      tagged('messages-cut'),
    );
    const events: string[] = [];
    stream.on('streamEvent', (event) => events.push(event.type));
    stream.on('error', () => undefined);
    const error: unknown = await stream.finalMessage().then(
      () => undefined,
      (e: unknown) => e,
    );
    // Raised from the gateway's `error` event (a dropped connection would be an APIConnectionError).
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error).not.toBeInstanceOf(Anthropic.APIConnectionError);
    expect((error as InstanceType<typeof Anthropic.APIError>).error).toMatchObject({
      type: 'error',
      error: { type: 'api_error' },
    });
    expect(events).toContain('content_block_delta');
    expect(events).not.toContain('message_stop');
    expect(await rowOf('messages-cut')).toMatchObject({
      stream: true,
      streamCompleted: false,
      status: 'stream_interrupted',
    });
  });

  it('messages.countTokens: the gateway token counter, exact for an OpenAI target', async () => {
    const counted = await client.messages.countTokens({
      model: 'openai/gpt-4o-mini',
      system: 'You are a terse assistant.',
      tools: [WEATHER_TOOL],
      messages: [{ role: 'user', content: 'What is the weather in Lisbon today?' }],
    });
    const expected = new TokenCounter().countPrompt(
      {
        model: 'gpt-4o-mini',
        messages: [
          { role: 'system', content: 'You are a terse assistant.' },
          { role: 'user', content: 'What is the weather in Lisbon today?' },
        ],
        tools: [
          {
            type: 'function',
            function: {
              name: WEATHER_TOOL.name,
              description: WEATHER_TOOL.description,
              parameters: WEATHER_TOOL.input_schema,
            },
          },
        ],
      },
      'openai',
      'gpt-4o-mini',
    );
    expect(counted).toEqual({ input_tokens: expected });
    expect(fake.requests).toHaveLength(0);
  });

  it("books the call with the caller's metadata.user_id (a multi-user key) and the raw SSE events", async () => {
    fake.enqueue({ text: 'alpha beta' }, 1, { format: 'openai' });
    const response = await fetch(`${gateway.url}/v1/messages`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-api-key': client.apiKey as string,
        'anthropic-version': '2023-06-01',
        'x-client-request-id': 'messages-raw-sse',
      },
      body: JSON.stringify({
        model: 'openai/gpt-4o-mini',
        max_tokens: 16,
        stream: true,
        metadata: { user_id: 'ann' },
        messages: [{ role: 'user', content: 'two words' }],
      }),
    });
    const text = await response.text();
    const names = [...text.matchAll(/^event: (\w+)$/gm)].map((m) => m[1]);
    expect(names[0]).toBe('message_start');
    expect(names[1]).toBe('ping');
    expect(names.filter((n) => n === 'content_block_start')).toHaveLength(1);
    expect(names.slice(-3)).toEqual(['content_block_stop', 'message_delta', 'message_stop']);
    expect(await rowOf('messages-raw-sse')).toMatchObject({
      userId: 'ann',
      provider: 'openai',
      streamCompleted: true,
    });
  });
});
