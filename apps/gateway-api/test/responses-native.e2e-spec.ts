import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { UsageWriter } from '@ai-gateway/core';
import OpenAI from 'openai';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { TestGateway } from './harness';
import { apiErrorOf, DATABASE_URL, dropSchema, providersFor, startGateway } from './harness';

const ADMIN_KEY = 'admin-responses-native-0123456789';
const OPENAI_KEY = 'sk-openai-test';
const BACKUP_KEY = 'sk-openai-backup';
type StreamEvent = OpenAI.Responses.ResponseStreamEvent;
type Row = Record<string, unknown>;

const webSearch = [{ type: 'web_search' as const }];

/**
 * OpenAI's own Responses API through the gateway: what only OpenAI can do (built-in tools,
 * reasoning summaries…) is forwarded as sent to the model's `openai`-kind providers on
 * the passthrough rails (fallback between them, usage rows with `ingress = 'responses'`),
 * the conversation is kept by the gateway (continuations across forwarded and translated
 * turns, owned by a key), and the streaming contract holds (stored before
 * `response.completed`, a cut never completes).
 */
describe('Responses API forwarded to OpenAI (e2e, official openai client)', () => {
  const schema = `responses_native_e2e_${randomBytes(5).toString('hex')}`;
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  let alice: OpenAI;
  let bob: OpenAI;

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
  const nativeCalls = () => fake.requests.filter((r) => r.operation === 'responses');
  const usageRow = async (requestId: string): Promise<Row | undefined> => {
    await gateway.app.get(UsageWriter).flush();
    const pg = new DataSource({ type: 'postgres', url: DATABASE_URL, poolSize: 1 });
    await pg.initialize();
    try {
      const rows = await pg.query<Row[]>(
        `SELECT status, ingress, stream, stream_completed, provider, model, prompt_tokens,
                completion_tokens, reasoning_tokens, attempts, fallback_chain
         FROM "${schema}".usage_log WHERE request_id = $1`,
        [requestId],
      );
      return rows[0];
    } finally {
      await pg.destroy();
    }
  };
  /** A stream's books close once its relay has ended: polled, not slept on. */
  const settledRow = async (requestId: string): Promise<Row> => {
    let row = await usageRow(requestId);
    for (let i = 0; i < 100 && row === undefined; i++) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      row = await usageRow(requestId);
    }
    expect(row).toBeDefined();
    return row as Row;
  };

  beforeAll(async () => {
    fake = await startFakeProvider();
    const all = providersFor(fake);
    const entry = (base: Record<string, unknown>) => ({
      ...base,
      models: ['r-model'],
      maxRetries: 0,
      breaker: { failureThreshold: 1000, minRequests: 1000 },
    });
    gateway = await startGateway({
      providers: {
        openai: entry(all.openai),
        // A second OpenAI account on the same fake, told apart by its key.
        'openai-b': entry({ ...all.openai, apiKeys: [BACKUP_KEY] }),
        anthropic: entry(all.anthropic),
        gemini: entry(all.gemini),
      },
      routes: {
        'two-openai': { targets: ['openai/r-model', 'openai-b/r-model'] },
        'anthropic-first': { targets: ['anthropic/r-model', 'openai/r-model'] },
        'no-openai': { targets: ['anthropic/r-model', 'gemini/r-model'] },
      },
      auth: { enabled: true, adminKey: ADMIN_KEY, hashSecret: 'hash-secret-for-tests-0123456789' },
      usage: { databaseUrl: DATABASE_URL, schema },
    });
    alice = clientFor(await createKey('alice'));
    bob = clientFor(await createKey('bob'));
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
    await dropSchema(schema);
  });
  beforeEach(() => fake.reset());

  it('web_search through an openai-kind provider: the hosted item and the answer, the body forwarded as sent, a responses usage row', async () => {
    fake.enqueue({ text: 'Paris is sunny today.', usage: { prompt: 12, completion: 5 } });
    const request = {
      model: 'openai/r-model',
      input: 'Weather in Paris?',
      instructions: 'Cite sources.',
      tools: webSearch,
      metadata: { run: 'native-1' },
      max_output_tokens: 200,
    };
    const { data, response } = await alice.responses.create(request).withResponse();

    expect(data.id).toMatch(/^resp_/);
    expect(data.output.map((item) => item.type)).toEqual(['web_search_call', 'message']);
    expect(data.output[0]).toMatchObject({
      type: 'web_search_call',
      status: 'completed',
      action: { type: 'search', query: 'Weather in Paris?' },
    });
    expect(data.output_text).toBe('Paris is sunny today.');
    expect(data.usage).toMatchObject({ input_tokens: 12, output_tokens: 5, total_tokens: 17 });
    expect(response.headers.get('x-gateway-provider')).toBe('openai');

    const calls = nativeCalls();
    expect(calls).toHaveLength(1);
    expect(calls[0]).toMatchObject({
      format: 'openai',
      method: 'POST',
      path: '/openai/v1/responses',
      apiKey: OPENAI_KEY,
      stream: false,
    });
    // As sent, but for the model id the provider knows.
    expect(calls[0].body).toEqual({ ...request, model: 'r-model' });
    expect(fake.requests.filter((r) => r.operation === 'chat')).toHaveLength(0);

    const row = await usageRow(response.headers.get('x-request-id')!);
    expect(row).toMatchObject({
      status: 'ok',
      ingress: 'responses',
      provider: 'openai',
      prompt_tokens: 12,
      completion_tokens: 5,
      reasoning_tokens: 0,
      stream: false,
      fallback_chain: 'openai/r-model=ok',
    });
  });

  it('a streamed web_search: OpenAI events relayed to response.completed, stored before it, owned by the key, deletable', async () => {
    fake.enqueue({ text: 'one two three four', usage: { prompt: 7, completion: 4 } });
    const { data: stream, response } = await alice.responses
      .create({ model: 'openai/r-model', input: 'count', tools: webSearch, stream: true })
      .withResponse();
    const events: StreamEvent[] = [];
    for await (const event of stream) events.push(event);
    const types = events.map((e) => e.type);
    expect(types.slice(0, 2)).toEqual(['response.created', 'response.in_progress']);
    for (const phase of ['in_progress', 'searching', 'completed']) {
      expect(types).toContain(`response.web_search_call.${phase}`);
    }
    expect(types.at(-1)).toBe('response.completed');
    expect(types.filter((t) => t === 'response.completed')).toHaveLength(1);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const deltas = events.flatMap((e) =>
      e.type === 'response.output_text.delta' ? [e.delta] : [],
    );
    expect(deltas.length).toBe(4);
    expect(deltas.join('')).toBe('one two three four');
    const completed = (events.at(-1) as OpenAI.Responses.ResponseCompletedEvent).response;
    expect(completed.output.map((item) => item.type)).toEqual(['web_search_call', 'message']);
    expect(completed.usage).toMatchObject({ input_tokens: 7, output_tokens: 4 });
    expect(nativeCalls()[0]).toMatchObject({ path: '/openai/v1/responses', stream: true });

    const row = await settledRow(response.headers.get('x-request-id')!);
    expect(row).toMatchObject({
      status: 'ok',
      ingress: 'responses',
      provider: 'openai',
      stream: true,
      stream_completed: true,
      prompt_tokens: 7,
      completion_tokens: 4,
    });

    // The helper: deltas and the final response; retrievable right after the last event.
    fake.enqueue({ text: 'found it on the web' });
    const helper = alice.responses.stream({
      model: 'openai/r-model',
      input: 'search please',
      tools: webSearch,
    });
    let text = '';
    helper.on('response.output_text.delta', (event) => (text += event.delta));
    const final = await helper.finalResponse();
    expect(text).toBe('found it on the web');
    expect(final.output_text).toBe('found it on the web');
    expect(final.status).toBe('completed');

    const stored = await alice.responses.retrieve(final.id);
    expect(stored).toMatchObject({ id: final.id, status: 'completed' });
    expect(stored.output.map((item) => item.type)).toEqual(['web_search_call', 'message']);
    expect(stored.output_text).toBe('found it on the web');

    const foreign = await apiErrorOf(bob.responses.retrieve(final.id));
    expect(foreign).toBeInstanceOf(OpenAI.NotFoundError);
    expect(foreign.error).toMatchObject({ code: 'not_found' });

    await alice.responses.delete(final.id);
    expect(await apiErrorOf(alice.responses.retrieve(final.id))).toBeInstanceOf(
      OpenAI.NotFoundError,
    );
  });

  it('reasoning with a summary is forwarded; the row has the reasoning tokens the provider reported', async () => {
    fake.enqueue({ text: 'Because.', usage: { prompt: 9, completion: 5, reasoning: 23 } });
    const { data, response } = await alice.responses
      .create({
        model: 'openai/r-model',
        input: 'Why is the sky blue?',
        reasoning: { effort: 'low', summary: 'auto' },
      })
      .withResponse();
    expect(data.output.map((item) => item.type)).toEqual(['reasoning', 'message']);
    expect(data.usage).toMatchObject({
      output_tokens: 28,
      output_tokens_details: { reasoning_tokens: 23 },
    });
    expect(nativeCalls()[0].body).toMatchObject({ reasoning: { effort: 'low', summary: 'auto' } });
    const row = await usageRow(response.headers.get('x-request-id')!);
    expect(row).toMatchObject({
      status: 'ok',
      ingress: 'responses',
      provider: 'openai',
      prompt_tokens: 9,
      completion_tokens: 28,
      reasoning_tokens: 23,
    });
  });

  describe('fallback between targets', () => {
    it('a 500 from the first openai-kind provider falls back to the second, plain and streamed', async () => {
      fake.enqueue({ status: 500 }, 1, { apiKey: OPENAI_KEY, operation: 'responses' });
      fake.enqueue({ text: 'answered by the backup' }, 1, { apiKey: BACKUP_KEY });
      const { data, response } = await alice.responses
        .create({ model: 'two-openai', input: 'hi', tools: webSearch })
        .withResponse();
      expect(data.output_text).toBe('answered by the backup');
      expect(response.headers.get('x-gateway-provider')).toBe('openai-b');
      expect(response.headers.get('x-gateway-trace')).toBe(
        'openai/r-model=server_error, openai-b/r-model=ok',
      );
      const row = await usageRow(response.headers.get('x-request-id')!);
      expect(row).toMatchObject({
        status: 'ok',
        ingress: 'responses',
        provider: 'openai-b',
        attempts: 2,
        fallback_chain: 'openai/r-model=server_error, openai-b/r-model=ok',
      });

      fake.enqueue({ status: 503 }, 1, { apiKey: OPENAI_KEY, operation: 'responses' });
      fake.enqueue({ text: 'streamed by the backup' }, 1, { apiKey: BACKUP_KEY });
      const final = await alice.responses
        .stream({ model: 'two-openai', input: 'hi', tools: webSearch })
        .finalResponse();
      expect(final.output_text).toBe('streamed by the backup');
      expect(nativeCalls().map((r) => [r.apiKey, r.stream])).toEqual([
        [OPENAI_KEY, false],
        [BACKUP_KEY, false],
        [OPENAI_KEY, true],
        [BACKUP_KEY, true],
      ]);
    });

    it('an anthropic target before the openai one is skipped for a native request, never called', async () => {
      fake.enqueue({ text: 'served by openai' });
      const { data, response } = await alice.responses
        .create({ model: 'anthropic-first', input: 'hi', tools: webSearch })
        .withResponse();
      expect(data.output_text).toBe('served by openai');
      expect(response.headers.get('x-gateway-provider')).toBe('openai');
      expect(response.headers.get('x-gateway-attempts')).toBe('1');
      expect(response.headers.get('x-gateway-trace')).not.toContain('anthropic/r-model=ok');
      expect(fake.requests.map((r) => [r.format, r.operation])).toEqual([['openai', 'responses']]);
      const row = await usageRow(response.headers.get('x-request-id')!);
      expect(row).toMatchObject({ status: 'ok', provider: 'openai', attempts: 1 });
    });

    it('the skipped anthropic target is named in the decision trace', async () => {
      fake.enqueue({ text: 'served by openai' });
      const { response } = await alice.responses
        .create({ model: 'anthropic-first', input: 'hi', tools: webSearch })
        .withResponse();
      expect(response.headers.get('x-gateway-trace')).toMatch(/anthropic\/r-model=skipped/);
    });
  });

  it.each([
    ['anthropic/r-model', ['"anthropic" (anthropic)']],
    ['gemini/r-model', ['"gemini" (gemini)']],
    ['no-openai', ['"anthropic" (anthropic)', '"gemini" (gemini)']],
  ])(
    'web_search on %s (no openai-kind target) is a 400 unsupported_feature naming the tool and providers',
    async (model, names) => {
      const error = await apiErrorOf(
        alice.responses.create({ model, input: 'search', tools: webSearch }),
      );
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.status).toBe(400);
      expect(error.error).toMatchObject({ code: 'unsupported_feature', param: 'tools[0].type' });
      expect(error.message).toContain('web_search');
      for (const name of names) expect(error.message).toContain(name);
      expect(fake.requests).toHaveLength(0);

      // Streamed too: refused before any event, as JSON.
      const streamed = await apiErrorOf(
        alice.responses.create({ model, input: 'search', tools: webSearch, stream: true }),
      );
      expect(streamed).toBeInstanceOf(OpenAI.BadRequestError);
      expect(streamed.error).toMatchObject({ code: 'unsupported_feature' });
      expect(fake.requests).toHaveLength(0);
    },
  );

  it('continues a forwarded conversation forwarded (spelled out in input) and then translated on anthropic', async () => {
    fake.enqueue({ text: 'Lyon has 520,000 inhabitants.' }, 1, { operation: 'responses' });
    const first = await alice.responses.create({
      model: 'openai/r-model',
      input: 'How many people live in Lyon?',
      tools: webSearch,
    });
    expect(first.output.map((item) => item.type)).toEqual(['web_search_call', 'message']);

    fake.enqueue({ text: 'Marseille has 870,000.' }, 1, { operation: 'responses' });
    const second = await alice.responses.create({
      model: 'openai/r-model',
      previous_response_id: first.id,
      input: 'And Marseille?',
      tools: webSearch,
    });
    expect(second.output_text).toBe('Marseille has 870,000.');
    const sent = nativeCalls()[1].body as Record<string, unknown>;
    expect(sent).not.toHaveProperty('previous_response_id');
    expect(sent.tools).toEqual(webSearch);
    const input = sent.input as Array<Record<string, unknown>>;
    expect(input.map((item) => [item.type, item.role])).toEqual([
      ['message', 'user'],
      ['web_search_call', undefined],
      ['message', 'assistant'],
      ['message', 'user'],
    ]);
    expect(input[0].content).toBe('How many people live in Lyon?');
    // OpenAI finds hosted-tool items by id; the gateway's message ids are dropped.
    expect(input[1].id).toMatch(/^ws_/);
    expect(input[2]).not.toHaveProperty('id');
    expect(JSON.stringify(input[2].content)).toContain('Lyon has 520,000 inhabitants.');
    expect(input[3].content).toBe('And Marseille?');

    // Another key cannot continue it.
    const foreign = await apiErrorOf(
      bob.responses.create({
        model: 'openai/r-model',
        previous_response_id: second.id,
        input: 'x',
        tools: webSearch,
      }),
    );
    expect(foreign).toBeInstanceOf(OpenAI.NotFoundError);
    expect(foreign.param).toBe('previous_response_id');

    fake.enqueue({ text: 'Marseille is bigger.' }, 1, { format: 'anthropic' });
    const third = await alice.responses.create({
      model: 'anthropic/r-model',
      previous_response_id: second.id,
      input: 'Which is bigger?',
    });
    expect(third.output_text).toBe('Marseille is bigger.');
    expect(third.previous_response_id).toBe(second.id);
    const chat = fake.requests.filter((r) => r.format === 'anthropic');
    expect(chat).toHaveLength(1);
    const text = JSON.stringify(chat[0].body);
    const order = [
      'How many people live in Lyon?',
      'Lyon has 520,000 inhabitants.',
      'And Marseille?',
      'Marseille has 870,000.',
      'Which is bigger?',
    ].map((t) => text.indexOf(t));
    expect(order.every((at) => at >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    expect(text).not.toContain('web_search');
    expect(nativeCalls()).toHaveLength(2);
  });

  it.each(['disconnect', 'error-event'] as const)(
    'a forwarded stream cut after some deltas (%s): the client raises, no response.completed, the row says interrupted, nothing stored',
    async (fault) => {
      fake.enqueue({ text: 'alpha beta gamma delta epsilon', fault, faultAfterChunks: 3 });
      const { data: stream, response } = await alice.responses
        .create({ model: 'openai/r-model', input: 'a', tools: webSearch, stream: true })
        .withResponse();
      const events: StreamEvent[] = [];
      const drained = (async () => {
        for await (const event of stream) events.push(event);
      })();
      await expect(drained).rejects.toBeInstanceOf(OpenAI.APIError);
      const types = events.map((e) => e.type);
      expect(types[0]).toBe('response.created');
      expect(types.filter((t) => t === 'response.output_text.delta')).toHaveLength(2);
      expect(types).not.toContain('response.completed');
      const created = (events[0] as OpenAI.Responses.ResponseCreatedEvent).response;

      const row = await settledRow(response.headers.get('x-request-id')!);
      expect(row).toMatchObject({
        status: 'stream_interrupted',
        ingress: 'responses',
        provider: 'openai',
        stream: true,
        stream_completed: false,
      });
      expect(await apiErrorOf(alice.responses.retrieve(created.id))).toBeInstanceOf(
        OpenAI.NotFoundError,
      );
    },
  );

  it('a forwarded stream cut mid-way makes the client helper raise an APIError', async () => {
    fake.enqueue({
      text: 'alpha beta gamma delta epsilon',
      fault: 'disconnect',
      faultAfterChunks: 3,
    });
    await expect(
      alice.responses
        .stream({ model: 'openai/r-model', input: 'a', tools: webSearch })
        .finalResponse(),
    ).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  // The contract: a failed stream ends with one `error` event carrying OpenAI's `error`
  // object (which makes the official clients raise). Today the upstream's own `error`
  // event (no `error` object) is relayed first and the gateway's follows it: two `error`
  // events, and the helper rejects with the first one, a plain object.
  it('an upstream error event mid-stream: one error event, carrying the error object; the helper raises an APIError', async () => {
    const script = {
      text: 'alpha beta gamma delta epsilon',
      fault: 'error-event' as const,
      faultAfterChunks: 3,
    };
    fake.enqueue(script);
    const raw = await fetch(`${gateway.url}/v1/responses`, {
      method: 'POST',
      headers: { authorization: `Bearer ${alice.apiKey}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        model: 'openai/r-model',
        input: 'a',
        tools: webSearch,
        stream: true,
      }),
    });
    const frames = (await raw.text()).split('\n\n').filter((f) => f.trim() !== '');
    const errors = frames.filter((f) => f.startsWith('event: error'));
    expect(errors).toHaveLength(1);
    expect(frames.at(-1)).toBe(errors[0]);
    expect(JSON.parse(errors[0].split('\ndata: ')[1])).toMatchObject({
      type: 'error',
      error: { code: 'server_error' },
    });

    fake.enqueue(script);
    await expect(
      alice.responses
        .stream({ model: 'openai/r-model', input: 'a', tools: webSearch })
        .finalResponse(),
    ).rejects.toBeInstanceOf(OpenAI.APIError);
  });

  it('store: false keeps a forwarded response nowhere, plain or streamed', async () => {
    const plain = await alice.responses.create({
      model: 'openai/r-model',
      input: 'forget me',
      tools: webSearch,
      store: false,
    });
    expect((plain as unknown as { store: boolean }).store).toBe(false);
    expect(nativeCalls()[0].body).toMatchObject({ store: false });
    expect(await apiErrorOf(alice.responses.retrieve(plain.id))).toBeInstanceOf(
      OpenAI.NotFoundError,
    );

    const streamed = await alice.responses
      .stream({ model: 'openai/r-model', input: 'forget me too', tools: webSearch, store: false })
      .finalResponse();
    expect(streamed.output_text).toBe('forget me too');
    expect(await apiErrorOf(alice.responses.retrieve(streamed.id))).toBeInstanceOf(
      OpenAI.NotFoundError,
    );
  });
});
