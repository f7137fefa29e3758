import Anthropic from '@anthropic-ai/sdk';
import type { FakeProviderServer } from '../fake-provider.server';
import { startFakeProvider } from '../fake-provider.server';

type ApiError = InstanceType<typeof Anthropic.APIError>;

describe('anthropicWire', () => {
  let fake: FakeProviderServer;
  let client: Anthropic;
  const ask = {
    model: 'claude-fake',
    max_tokens: 256,
    messages: [{ role: 'user' as const, content: 'hello there' }],
  };

  beforeAll(async () => {
    fake = await startFakeProvider();
    client = new Anthropic({
      baseURL: `${fake.url}/anthropic`,
      apiKey: 'sk-ant-fake',
      maxRetries: 0,
      logLevel: 'off',
    });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('echoes the last user message as a text block with usage', async () => {
    const res = await client.messages.create({ ...ask, system: 'be brief' });
    expect(res.type).toBe('message');
    expect(res.content).toEqual([{ type: 'text', text: 'hello there', citations: null }]);
    expect(res.stop_reason).toBe('end_turn');
    expect(res.usage).toMatchObject({
      input_tokens: 5,
      output_tokens: 3,
      cache_read_input_tokens: 0,
    });
    expect(fake.requests[0]).toMatchObject({
      format: 'anthropic',
      operation: 'chat',
      model: 'claude-fake',
      apiKey: 'sk-ant-fake',
      stream: false,
    });
    expect(fake.requests[0].headers['anthropic-version']).toBeDefined();
  });

  it('reads the key from x-api-key before the bearer token', async () => {
    await client.messages.create(ask, { headers: { 'x-api-key': 'sk-ant-header' } });
    expect(fake.requests[0].apiKey).toBe('sk-ant-header');
  });

  it('answers tool calls as tool_use blocks with stop_reason tool_use and input_tokens without cache reads', async () => {
    fake.enqueue({
      toolCalls: [{ name: 'lookup', arguments: { q: 'x' }, id: 'toolu_1' }],
      usage: { prompt: 50, completion: 9, cached: 20 },
    });
    const res = await client.messages.create(ask);
    expect(res.content).toEqual([
      {
        type: 'tool_use',
        id: 'toolu_1',
        name: 'lookup',
        input: { q: 'x' },
        caller: { type: 'direct' },
      },
    ]);
    expect(res.stop_reason).toBe('tool_use');
    expect(res.usage).toMatchObject({
      input_tokens: 30,
      output_tokens: 9,
      cache_read_input_tokens: 20,
    });
  });

  it.each([
    ['length', 'max_tokens'],
    ['content_filter', 'refusal'],
  ] as const)('maps finishReason %s to stop_reason %s', async (finishReason, stopReason) => {
    fake.enqueue({ text: 'partial', finishReason });
    const res = await client.messages.create(ask);
    expect(res.stop_reason).toBe(stopReason);
  });

  it('cuts the text at the first stop sequence and names it', async () => {
    fake.enqueue({ text: 'one two END three' });
    const res = await client.messages.create({ ...ask, stop_sequences: ['END'] });
    expect(res.content[0]).toMatchObject({ type: 'text', text: 'one two ' });
    expect(res.stop_reason).toBe('stop_sequence');
    expect(res.stop_sequence).toBe('END');
  });

  it('streams text and a tool call that the SDK accumulates, with usage in message_delta', async () => {
    fake.enqueue({
      text: 'one two three',
      toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }],
      usage: { prompt: 7, completion: 9 },
    });
    const stream = client.messages.stream(ask);
    const types: string[] = [];
    stream.on('streamEvent', (event) => types.push(event.type));
    const final = await stream.finalMessage();
    expect(final.content).toEqual([
      { type: 'text', text: 'one two three', citations: null },
      expect.objectContaining({
        type: 'tool_use',
        id: 'toolu_fake_0',
        name: 'lookup',
        input: { q: 'x' },
      }),
    ]);
    expect(final.stop_reason).toBe('tool_use');
    expect(final.usage).toMatchObject({ input_tokens: 7, output_tokens: 9 });
    expect(types[0]).toBe('message_start');
    expect(types.slice(-2)).toEqual(['message_delta', 'message_stop']);
    expect(types.filter((t) => t === 'content_block_start')).toHaveLength(2);
  });

  it.each([
    [429, 'rate_limit_error', Anthropic.RateLimitError],
    [529, 'overloaded_error', Anthropic.OverloadedError],
    [401, 'authentication_error', Anthropic.AuthenticationError],
    [400, 'invalid_request_error', Anthropic.BadRequestError],
    [500, 'api_error', Anthropic.InternalServerError],
  ])('answers a scripted %i with error type %s', async (status, type, errorClass) => {
    fake.enqueue({ status, retryAfter: '3', errorMessage: 'scripted failure' });
    const error = (await client.messages.create(ask).catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(errorClass);
    expect(error.status).toBe(status);
    expect(error.type).toBe(type);
    expect(error.apiMessage).toBe('scripted failure');
    expect(error.headers?.get('retry-after')).toBe('3');
  });

  it('rejects sampling parameters and a missing max_tokens like API version 2026-10-21', async () => {
    const sampling = await fetch(`${fake.url}/anthropic/v1/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-api-key': 'k' },
      body: JSON.stringify({ ...ask, temperature: 1 }),
    });
    expect(sampling.status).toBe(400);
    expect(await sampling.json()).toMatchObject({
      type: 'error',
      error: {
        type: 'invalid_request_error',
        message: 'temperature: Extra inputs are not permitted',
      },
    });
    const { max_tokens: _omitted, ...withoutMax } = ask;
    const missing = (await client.messages
      .create(withoutMax as typeof ask)
      .catch((e: unknown) => e)) as ApiError;
    expect(missing.status).toBe(400);
    expect(missing.apiMessage).toBe('max_tokens: Field required');
  });

  it('sends an overloaded error event inside a 200 stream after the scripted chunks', async () => {
    fake.enqueue({ text: 'a b c d', fault: 'error-event', faultAfterChunks: 2 });
    const stream = await client.messages.create({ ...ask, stream: true });
    const seen: string[] = [];
    const error = (await (async () => {
      for await (const event of stream) seen.push(event.type);
    })().catch((e: unknown) => e)) as ApiError;
    expect(error).toBeInstanceOf(Anthropic.APIError);
    expect(error.type).toBe('overloaded_error');
    expect(error.apiMessage).toBe('Overloaded');
    expect(seen).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
  });

  it('cuts a stream mid-way when scripted to disconnect', async () => {
    fake.enqueue({ text: 'a b c d e', fault: 'disconnect', faultAfterChunks: 2 });
    const stream = await client.messages.create({ ...ask, stream: true });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const event of stream) seen.push(event.type);
      })(),
    ).rejects.toThrow();
    expect(seen).toEqual(['message_start', 'content_block_start', 'content_block_delta']);
  });

  it('lists models in the cursor-page shape', async () => {
    const page = await client.models.list();
    expect(page.data.map((m) => m.id)).toEqual(['claude-fake', 'fake-chat', 'echo']);
    expect(page.data[0]).toMatchObject({ type: 'model', display_name: 'Fake claude-fake' });
    expect(page.has_more).toBe(false);
  });
});
