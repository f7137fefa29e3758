import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { UsageWriter } from '@ai-gateway/core';
import OpenAI from 'openai';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { TestGateway } from './harness';
import { apiErrorOf, DATABASE_URL, dropSchema, providersFor, startGateway } from './harness';

const ADMIN_KEY = 'admin-responses-0123456789abcdef';
type StreamEvent = OpenAI.Responses.ResponseStreamEvent;

const weatherTool = {
  type: 'function' as const,
  name: 'get_weather',
  description: 'Current weather of a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string' } },
    required: ['city'],
    additionalProperties: false,
  },
  strict: true,
};

/**
 * Issue 15, Responses API: the official `openai` client's `responses.*` against the
 * gateway, served by two provider kinds (OpenAI and Anthropic wire formats of the fake),
 * with fallback from one to the other, stored responses owned by a key, and the honest
 * streaming contract (a cut ends with response.failed, never response.completed).
 */
describe('Responses API (e2e, official openai client)', () => {
  const schema = `responses_e2e_${randomBytes(5).toString('hex')}`;
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  let alice: OpenAI;
  let bob: OpenAI;
  let aliceKey: string;

  const createKey = async (name: string): Promise<string> => {
    const response = await fetch(`${gateway.url}/v1/admin/keys`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { key: string }).key;
  };
  const clientFor = (key: string): OpenAI =>
    new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
  const chatCalls = () => fake.requests.filter((r) => r.operation === 'chat');
  const usageRow = async (requestId: string): Promise<Record<string, unknown>> => {
    await gateway.app.get(UsageWriter).flush();
    const pg = new DataSource({ type: 'postgres', url: DATABASE_URL, poolSize: 1 });
    await pg.initialize();
    try {
      const rows = await pg.query<Array<Record<string, unknown>>>(
        `SELECT status, ingress, stream, stream_completed, provider, prompt_tokens, completion_tokens
         FROM "${schema}".usage_log WHERE request_id = $1`,
        [requestId],
      );
      return rows[0];
    } finally {
      await pg.destroy();
    }
  };

  beforeAll(async () => {
    fake = await startFakeProvider();
    const all = providersFor(fake);
    const entry = (name: 'openai' | 'anthropic' | 'gemini') => ({
      ...all[name],
      models: ['r-model'],
      maxRetries: 0,
      breaker: { failureThreshold: 1000, minRequests: 1000 },
    });
    gateway = await startGateway({
      providers: {
        openai: entry('openai'),
        anthropic: entry('anthropic'),
        gemini: entry('gemini'),
      },
      routes: { duo: { targets: ['openai/r-model', 'anthropic/r-model'] } },
      auth: { enabled: true, adminKey: ADMIN_KEY, hashSecret: 'hash-secret-for-tests-0123456789' },
      usage: { databaseUrl: DATABASE_URL, schema },
    });
    aliceKey = await createKey('alice');
    alice = clientFor(aliceKey);
    bob = clientFor(await createKey('bob'));
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
    await dropSchema(schema);
  });
  beforeEach(() => fake.reset());

  describe.each([
    ['openai', 'openai'],
    ['anthropic', 'anthropic'],
    ['gemini', 'gemini'],
  ] as const)('served by the %s kind', (provider, wire) => {
    const model = `${provider}/r-model`;

    it('responses.create: a Response object with output_text and usage details', async () => {
      fake.enqueue({
        text: `hello from ${provider}`,
        usage: { prompt: 11, completion: 4, cached: 3 },
      });
      const { data, response } = await alice.responses
        .create({ model, input: 'Say hello', instructions: 'Be brief.', max_output_tokens: 50 })
        .withResponse();
      expect(data).toMatchObject({
        object: 'response',
        status: 'completed',
        instructions: 'Be brief.',
        max_output_tokens: 50,
        store: true,
        output: [
          {
            type: 'message',
            role: 'assistant',
            status: 'completed',
            content: [{ type: 'output_text', text: `hello from ${provider}` }],
          },
        ],
        usage: {
          input_tokens: 11,
          input_tokens_details: { cached_tokens: 3 },
          output_tokens: 4,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 15,
        },
      });
      expect(data.id).toMatch(/^resp_[0-9a-f]{48}$/);
      expect(data.output_text).toBe(`hello from ${provider}`);
      expect(response.headers.get('x-gateway-provider')).toBe(provider);
      const [sent] = chatCalls();
      expect(sent.format).toBe(wire);
      expect(JSON.stringify(sent.body)).toContain('Be brief.');
      const row = await usageRow(response.headers.get('x-request-id')!);
      expect(row).toMatchObject({
        status: 'ok',
        ingress: 'responses',
        provider,
        prompt_tokens: 11,
        completion_tokens: 4,
      });
    });

    it('stream: true yields the Responses event sequence, numbered, ending in response.completed', async () => {
      fake.enqueue({ text: 'one two three', usage: { prompt: 6, completion: 3 } });
      const stream = await alice.responses.create({ model, input: 'count', stream: true });
      const events: StreamEvent[] = [];
      for await (const event of stream) events.push(event);
      const types = events.map((e) => e.type);
      expect(types.slice(0, 4)).toEqual([
        'response.created',
        'response.in_progress',
        'response.output_item.added',
        'response.content_part.added',
      ]);
      expect(types.slice(-4)).toEqual([
        'response.output_text.done',
        'response.content_part.done',
        'response.output_item.done',
        'response.completed',
      ]);
      expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
      const deltas = events.flatMap((e) =>
        e.type === 'response.output_text.delta' ? [e.delta] : [],
      );
      expect(deltas.join('')).toBe('one two three');
      const completed = events.at(-1) as OpenAI.Responses.ResponseCompletedEvent;
      expect(completed.response.usage).toMatchObject({ input_tokens: 6, output_tokens: 3 });
    });

    it('client.responses.stream gives deltas and a final response', async () => {
      fake.enqueue({ text: 'streamed by the helper' });
      const stream = alice.responses.stream({ model, input: 'go' });
      let text = '';
      stream.on('response.output_text.delta', (event) => (text += event.delta));
      const final = await stream.finalResponse();
      expect(text).toBe('streamed by the helper');
      expect(final.output_text).toBe('streamed by the helper');
      expect(final.status).toBe('completed');
    });

    it('a function tool round trip: function_call, then its output via previous_response_id', async () => {
      fake.enqueue({
        toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' }, id: 'call_paris' }],
        finishReason: 'tool_calls',
      });
      const first = await alice.responses.create({
        model,
        input: 'Weather in Paris?',
        tools: [weatherTool],
      });
      const call = first.output.find((item) => item.type === 'function_call');
      // Gemini has no call ids: the gateway makes one up, and matches results by name.
      const callId = wire === 'gemini' ? expect.stringMatching(/^call_/) : 'call_paris';
      expect(call).toMatchObject({ name: 'get_weather', call_id: callId, status: 'completed' });
      const { call_id, arguments: args } = call as { call_id: string; arguments: string };
      expect(JSON.parse(args)).toEqual({ city: 'Paris' });

      fake.enqueue({ text: 'Sunny, 21 degrees.' });
      const second = await alice.responses.create({
        model,
        previous_response_id: first.id,
        input: [{ type: 'function_call_output', call_id, output: '{"temp":21}' }],
        tools: [weatherTool],
      });
      expect(second.output_text).toBe('Sunny, 21 degrees.');
      expect(second.previous_response_id).toBe(first.id);
      const sent = JSON.stringify(chatCalls()[1].body);
      const parts = ['Weather in Paris?', 'get_weather', 'temp', '21'];
      for (const part of wire === 'gemini' ? parts : [...parts, call_id]) {
        expect(sent).toContain(part);
      }
    });

    it('streams a function call with argument deltas', async () => {
      fake.enqueue({
        toolCalls: [{ name: 'get_weather', arguments: { city: 'Lyon' }, id: 'call_lyon' }],
        finishReason: 'tool_calls',
      });
      const stream = await alice.responses.create({
        model,
        input: 'Weather in Lyon?',
        tools: [weatherTool],
        stream: true,
      });
      const events: StreamEvent[] = [];
      for await (const event of stream) events.push(event);
      const added = events.find((e) => e.type === 'response.output_item.added');
      expect(added).toMatchObject({ item: { type: 'function_call', name: 'get_weather' } });
      const deltas = events.flatMap((e) =>
        e.type === 'response.function_call_arguments.delta' ? [e.delta] : [],
      );
      expect(deltas.length).toBeGreaterThan(0);
      const done = events.find((e) => e.type === 'response.function_call_arguments.done');
      expect(JSON.parse((done as { arguments: string }).arguments)).toEqual({ city: 'Lyon' });
      expect(deltas.join('')).toBe((done as { arguments: string }).arguments);
      expect(events.at(-1)?.type).toBe('response.completed');
    });

    it('json_schema output reaches the provider as structured output', async () => {
      fake.enqueue({ text: '{"name":"Ada","born":1815}' });
      const response = await alice.responses.create({
        model,
        input: 'Who wrote the first program?',
        text: {
          format: {
            type: 'json_schema',
            name: 'person',
            strict: true,
            schema: {
              type: 'object',
              properties: { name: { type: 'string' }, born: { type: 'integer' } },
              required: ['name', 'born'],
              additionalProperties: false,
            },
          },
        },
      });
      expect(JSON.parse(response.output_text)).toEqual({ name: 'Ada', born: 1815 });
      expect(response.text?.format).toMatchObject({ type: 'json_schema', name: 'person' });
      const sent = JSON.stringify(chatCalls()[0].body);
      expect(sent).toContain('"born"');
    });

    it('previous_response_id continues the stored conversation', async () => {
      fake.enqueue({ text: 'Nice to meet you, Ada.' });
      const first = await alice.responses.create({ model, input: 'My name is Ada.' });
      fake.enqueue({ text: 'Your name is Ada.' });
      const second = await alice.responses.create({
        model,
        previous_response_id: first.id,
        input: 'What is my name?',
      });
      expect(second.output_text).toBe('Your name is Ada.');
      const sent = JSON.stringify(chatCalls()[1].body);
      const order = ['My name is Ada.', 'Nice to meet you, Ada.', 'What is my name?'].map((t) =>
        sent.indexOf(t),
      );
      expect(order.every((at) => at >= 0)).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
    });
  });

  it('GET and DELETE a stored response; another key gets 404 for both', async () => {
    fake.enqueue({ text: 'keep me' });
    const created = await alice.responses.create({ model: 'openai/r-model', input: 'store this' });
    const read = await alice.responses.retrieve(created.id);
    expect(read).toMatchObject({ id: created.id, status: 'completed', output_text: 'keep me' });

    for (const call of [bob.responses.retrieve(created.id), bob.responses.delete(created.id)]) {
      const error = await apiErrorOf(call);
      expect(error).toBeInstanceOf(OpenAI.NotFoundError);
      expect(error.error).toMatchObject({ type: 'invalid_request_error', code: 'not_found' });
    }
    const continued = await apiErrorOf(
      bob.responses.create({
        model: 'openai/r-model',
        previous_response_id: created.id,
        input: 'x',
      }),
    );
    expect(continued).toBeInstanceOf(OpenAI.NotFoundError);
    expect(continued.param).toBe('previous_response_id');

    const deleted = await fetch(`${gateway.url}/v1/responses/${created.id}`, {
      method: 'DELETE',
      headers: { authorization: `Bearer ${aliceKey}` },
    });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ id: created.id, object: 'response', deleted: true });
    expect(await apiErrorOf(alice.responses.retrieve(created.id))).toBeInstanceOf(
      OpenAI.NotFoundError,
    );
  });

  it('store: false keeps nothing; an unknown id is 404 in the OpenAI error shape', async () => {
    const kept = await alice.responses.create({
      model: 'openai/r-model',
      input: 'x',
      store: false,
    });
    expect((kept as unknown as { store: boolean }).store).toBe(false);
    expect(await apiErrorOf(alice.responses.retrieve(kept.id))).toBeInstanceOf(
      OpenAI.NotFoundError,
    );
    const unknown = await fetch(`${gateway.url}/v1/responses/resp_unknown`, {
      headers: { authorization: `Bearer ${aliceKey}` },
    });
    expect(unknown.status).toBe(404);
    expect(await unknown.json()).toEqual({
      error: {
        message: "Response with id 'resp_unknown' not found.",
        type: 'invalid_request_error',
        param: 'id',
        code: 'not_found',
      },
    });
  });

  it('falls back from the OpenAI kind to the Anthropic kind on a 500, plain and streamed', async () => {
    fake.enqueue({ status: 500 }, 1, { format: 'openai' });
    fake.enqueue({ text: 'answered by the backup' }, 1, { format: 'anthropic' });
    const { data, response } = await alice.responses
      .create({ model: 'duo', input: 'hi' })
      .withResponse();
    expect(data.output_text).toBe('answered by the backup');
    expect(response.headers.get('x-gateway-provider')).toBe('anthropic');
    expect(response.headers.get('x-gateway-trace')).toBe(
      'openai/r-model=server_error, anthropic/r-model=ok',
    );

    fake.enqueue({ status: 503 }, 1, { format: 'openai' });
    fake.enqueue({ text: 'streamed by the backup' }, 1, { format: 'anthropic' });
    const stream = alice.responses.stream({ model: 'duo', input: 'hi' });
    const final = await stream.finalResponse();
    expect(final.output_text).toBe('streamed by the backup');
    expect(chatCalls().map((r) => r.format)).toEqual([
      'openai',
      'anthropic',
      'openai',
      'anthropic',
    ]);
  });

  it.each([
    ['openai', 'disconnect'],
    ['anthropic', 'disconnect'],
    ['openai', 'error-event'],
    ['gemini', 'disconnect'],
  ] as const)(
    'a %s stream failing after the first event (%s) ends with response.failed, the client raises, the row says not completed',
    async (provider, fault) => {
      fake.enqueue({ text: 'alpha beta gamma delta', fault, faultAfterChunks: 3 });
      const { data: stream, response } = await alice.responses
        .create({ model: `${provider}/r-model`, input: 'a', stream: true })
        .withResponse();
      const types: string[] = [];
      const drained = (async () => {
        for await (const event of stream) types.push(event.type);
      })();
      await expect(drained).rejects.toBeInstanceOf(OpenAI.APIError);
      expect(types[0]).toBe('response.created');
      expect(types).toContain('response.output_text.delta');
      expect(types.at(-1)).toBe('response.failed');
      expect(types).not.toContain('response.completed');
      const row = await usageRow(response.headers.get('x-request-id')!);
      expect(row).toMatchObject({ stream: true, stream_completed: false });
      expect(row.status).not.toBe('ok');

      fake.enqueue({ text: 'alpha beta gamma delta', fault, faultAfterChunks: 3 });
      await expect(
        alice.responses.stream({ model: `${provider}/r-model`, input: 'a' }).finalResponse(),
      ).rejects.toBeInstanceOf(OpenAI.APIError);
    },
  );

  it('a client that leaves mid-stream is booked as cancelled, stream not completed', async () => {
    fake.enqueue({ text: 'one two three four five six seven eight', chunkDelayMs: 300 });
    const controller = new AbortController();
    const { data: stream, response } = await alice.responses
      .create({ model: 'openai/r-model', input: 'a', stream: true }, { signal: controller.signal })
      .withResponse();
    for await (const event of stream) {
      if (event.type === 'response.output_text.delta') break; // leaves after the first words
    }
    controller.abort();
    const requestId = response.headers.get('x-request-id')!;
    let row = await usageRow(requestId);
    // Condition-based wait: the gateway books the request once it sees the client gone.
    for (let i = 0; i < 100 && row === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      row = await usageRow(requestId);
    }
    expect(row).toMatchObject({ status: 'cancelled', stream: true, stream_completed: false });
  });

  it('refuses built-in tools and fields it cannot carry with 400 naming them', async () => {
    const builtIn = await apiErrorOf(
      alice.responses.create({
        model: 'anthropic/r-model',
        input: 'search',
        tools: [{ type: 'web_search_preview' }],
      }),
    );
    expect(builtIn).toBeInstanceOf(OpenAI.BadRequestError);
    expect(builtIn.error).toMatchObject({ code: 'unsupported_feature', param: 'tools[0].type' });
    expect(builtIn.message).toContain('web_search_preview');

    const unknownField = await fetch(`${gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${aliceKey}`, 'content-type': 'application/json' },
      // A field only OpenAI's own API has: forwarded to an OpenAI provider, refused here.
      body: JSON.stringify({ model: 'anthropic/r-model', input: 'x', prompt: { id: 'pmpt_1' } }),
    });
    expect(unknownField.status).toBe(400);
    expect(await unknownField.json()).toMatchObject({
      error: { code: 'unsupported_feature', param: 'prompt' },
    });
    expect(chatCalls()).toHaveLength(0);
  });
});
