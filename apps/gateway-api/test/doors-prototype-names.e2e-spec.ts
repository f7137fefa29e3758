import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import type { TestGateway } from './harness';
import { providersFor, startGateway } from './harness';

const PROTOTYPE_NAMES = ['toString', 'constructor', '__proto__', 'hasOwnProperty', 'valueOf'];

/** A JSON answer, read loosely: the tests look at a few fields of each. */
interface Answer {
  type?: string;
  error?: Record<string, unknown>;
  metadata?: Record<string, string>;
  tools?: Array<{ name: string }>;
}

/**
 * The new doors (Responses, Messages, files, batches) against prototype names: a body
 * with a `__proto__` key is refused before anything runs, in the door's own error shape;
 * prototype names as plain values (tool names, metadata keys, ids, a provider name) are
 * just names — served, echoed, or a 404 like any unknown id — and never reach the
 * gateway's objects' prototypes.
 */
describe('the new doors and prototype names (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;

  const post = async (path: string, body: string, headers: Record<string, string> = {}) => {
    const response = await fetch(`${gateway.url}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'anthropic-version': '2023-06-01',
        ...headers,
      },
      body,
    });
    return { status: response.status, body: (await response.json()) as Answer };
  };
  const get = async (path: string) => {
    const response = await fetch(`${gateway.url}${path}`);
    return { status: response.status, body: (await response.json()) as Answer };
  };

  beforeAll(async () => {
    fake = await startFakeProvider();
    const all = providersFor(fake);
    gateway = await startGateway({
      providers: { openai: { ...all.openai, models: ['m'], maxRetries: 0 } },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  it('a __proto__ key in a body is a 400 in the door’s own shape, and nothing reaches the provider', async () => {
    const poisoned = (inner: string) => `{"model":"openai/m",${inner}}`;
    const responses = await post(
      '/v1/responses',
      poisoned(
        '"input":[{"type":"message","role":"user","content":"hi","__proto__":{"admin":true}}]',
      ),
    );
    expect(responses.status).toBe(400);
    expect(responses.body.error).toMatchObject({ type: 'invalid_request_error' });
    const messages = await post(
      '/v1/messages',
      poisoned('"max_tokens":5,"messages":[{"role":"user","content":"hi"}],"__proto__":{"x":1}'),
    );
    expect(messages.status).toBe(400);
    expect(messages.body).toMatchObject({
      type: 'error',
      error: { type: 'invalid_request_error' },
    });
    const batches = await post('/v1/batches', '{"input_file_id":"f","__proto__":{"x":1}}');
    expect(batches.status).toBe(400);
    expect(fake.requests).toHaveLength(0);
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });

  it('prototype names as tool names and metadata keys are plain names, carried and echoed', async () => {
    const metadata = Object.fromEntries(
      PROTOTYPE_NAMES.filter((n) => n !== '__proto__').map((n) => [n, `v-${n}`]),
    );
    const tools = PROTOTYPE_NAMES.map((name) => ({
      type: 'function',
      name,
      parameters: { type: 'object', properties: {} },
    }));
    const responses = await post(
      '/v1/responses',
      JSON.stringify({ model: 'openai/m', input: 'hi', metadata, tools, store: false }),
    );
    expect(responses.status).toBe(200);
    expect(responses.body.metadata).toEqual(metadata);
    expect(responses.body.tools?.map((t) => t.name)).toEqual(PROTOTYPE_NAMES);
    const sent = fake.requests.at(-1)!.body as { tools: Array<{ function: { name: string } }> };
    expect(sent.tools.map((t) => t.function.name)).toEqual(PROTOTYPE_NAMES);

    const messages = await post(
      '/v1/messages',
      JSON.stringify({
        model: 'openai/m',
        max_tokens: 16,
        messages: [{ role: 'user', content: 'hi' }],
        tools: PROTOTYPE_NAMES.map((name) => ({
          name,
          input_schema: { type: 'object', properties: {} },
        })),
        metadata: { user_id: '__proto__' },
      }),
    );
    expect(messages.status).toBe(200);
    expect(messages.body.type).toBe('message');
    const carried = fake.requests.at(-1)!.body as { tools: Array<{ function: { name: string } }> };
    expect(carried.tools.map((t) => t.function.name)).toEqual(PROTOTYPE_NAMES);
  });

  it.each(PROTOTYPE_NAMES)(
    '%s as an id is unknown everywhere (404), as a provider name a 400',
    async (name) => {
      const id = encodeURIComponent(name);
      expect((await get(`/v1/responses/${id}`)).status).toBe(404);
      expect((await get(`/v1/files/${id}`)).status).toBe(404);
      expect((await get(`/v1/files/${id}/content`)).status).toBe(404);
      expect((await get(`/v1/batches/${id}`)).status).toBe(404);
      const batch = await post('/v1/batches', JSON.stringify({ input_file_id: name }));
      expect(batch.status).toBe(404);
      expect(batch.body.error).toMatchObject({ param: 'input_file_id' });
      const continued = await post(
        '/v1/responses',
        JSON.stringify({ model: 'openai/m', input: 'hi', previous_response_id: name }),
      );
      expect(continued.status).toBe(404);
      const upload = new FormData();
      upload.append('purpose', 'batch');
      upload.append('file', new Blob(['{}\n']), 'x.jsonl');
      const response = await fetch(`${gateway.url}/v1/files`, {
        method: 'POST',
        headers: { 'x-gateway-provider': name },
        body: upload,
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { param: string } }).error.param).toBe(
        'x-gateway-provider',
      );
      expect(fake.requests).toHaveLength(0);
    },
  );
});
