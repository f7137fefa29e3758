import OpenAI, { toFile } from 'openai';
import type { FakeProviderServer } from '../fake-provider.server';
import { startFakeProvider } from '../fake-provider.server';

interface OutputLine {
  id: string;
  custom_id: string | null;
  response: { status_code: number; request_id: string; body: Record<string, unknown> } | null;
  error: { code: string; message: string } | null;
}

const jsonl = (lines: unknown[]): string =>
  lines.map((line) => (typeof line === 'string' ? line : JSON.stringify(line))).join('\n');

const chatLine = (customId: string, text: string, model = 'fake-chat') => ({
  custom_id: customId,
  method: 'POST',
  url: '/v1/chat/completions',
  body: { model, messages: [{ role: 'user', content: text }] },
});

describe('openAiBatchesWire', () => {
  let fake: FakeProviderServer;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeProvider();
    client = new OpenAI({ baseURL: `${fake.url}/openai/v1`, apiKey: 'sk-batch', maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const inputFile = async (text: string, purpose: 'batch' | 'user_data' = 'batch') =>
    (await client.files.create({ file: await toFile(Buffer.from(text), 'in.jsonl'), purpose })).id;

  const lines = async (fileId: string): Promise<OutputLine[]> =>
    (await (await client.files.content(fileId)).text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as OutputLine);

  it('validates on creation, then runs every chat line on the first retrieve', async () => {
    const fileId = await inputFile(
      jsonl([chatLine('a', 'hello there', 'fake-mini'), chatLine('b', 'one two three four')]),
    );
    const created = await client.batches.create({
      input_file_id: fileId,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
      metadata: { job: 'nightly' },
    });
    expect(created).toMatchObject({
      id: expect.stringMatching(/^batch_/),
      object: 'batch',
      endpoint: '/v1/chat/completions',
      errors: null,
      input_file_id: fileId,
      completion_window: '24h',
      status: 'validating',
      output_file_id: null,
      error_file_id: null,
      in_progress_at: null,
      completed_at: null,
      request_counts: { total: 0, completed: 0, failed: 0 },
      metadata: { job: 'nightly' },
    });
    expect(created.expires_at).toBe(created.created_at + 86_400);

    const done = await client.batches.retrieve(created.id);
    expect(done).toMatchObject({
      status: 'completed',
      error_file_id: null,
      request_counts: { total: 2, completed: 2, failed: 0 },
      model: 'fake-mini',
      in_progress_at: expect.any(Number),
      finalizing_at: expect.any(Number),
      completed_at: expect.any(Number),
    });
    expect(done.usage).toEqual({
      input_tokens: 3 + 5,
      input_tokens_details: { cached_tokens: 0 },
      output_tokens: 3 + 5,
      output_tokens_details: { reasoning_tokens: 0 },
      total_tokens: 16,
    });

    const output = await lines(done.output_file_id ?? '');
    expect(output.map((line) => line.custom_id)).toEqual(['a', 'b']);
    expect(output[0]).toMatchObject({
      id: expect.stringMatching(/^batch_req_/),
      error: null,
      response: {
        status_code: 200,
        request_id: expect.stringMatching(/^req_/),
        body: {
          object: 'chat.completion',
          model: 'fake-mini',
          choices: [{ message: { content: 'hello there' } }],
        },
      },
    });
    expect(await client.files.retrieve(done.output_file_id ?? '')).toMatchObject({
      purpose: 'batch_output',
      filename: `${created.id}_output.jsonl`,
    });
    // Retrieving again shows the same finished batch.
    expect(await client.batches.retrieve(created.id)).toEqual(done);
    expect(fake.requests.map((r) => r.operation)).toEqual([
      'files',
      'batches',
      'batches',
      'files',
      'files',
      'batches',
    ]);
    expect(fake.requests[1]).toMatchObject({ method: 'POST', apiKey: 'sk-batch' });
  });

  it('answers embeddings and responses lines with those routes’ bodies', async () => {
    const embeddings = await inputFile(
      jsonl([
        {
          custom_id: 'e',
          method: 'POST',
          url: '/v1/embeddings',
          body: { model: 'text-embedding-fake', input: 'abcdefgh', dimensions: 4 },
        },
      ]),
    );
    const responses = await inputFile(
      jsonl([
        {
          custom_id: 'r',
          method: 'POST',
          url: '/v1/responses',
          body: { model: 'fake-reasoner', input: 'hi', reasoning: { effort: 'low' } },
        },
      ]),
    );
    const e = await client.batches.create({
      input_file_id: embeddings,
      endpoint: '/v1/embeddings',
      completion_window: '24h',
    });
    const r = await client.batches.create({
      input_file_id: responses,
      endpoint: '/v1/responses',
      completion_window: '24h',
    });

    const eDone = await client.batches.retrieve(e.id);
    const [eLine] = await lines(eDone.output_file_id ?? '');
    expect(eLine.response?.body).toMatchObject({ object: 'list', usage: { prompt_tokens: 2 } });
    expect((eLine.response?.body.data as Array<{ embedding: number[] }>)[0].embedding).toHaveLength(
      4,
    );
    expect(eDone.usage).toMatchObject({ input_tokens: 2, output_tokens: 0, total_tokens: 2 });

    const rDone = await client.batches.retrieve(r.id);
    const [rLine] = await lines(rDone.output_file_id ?? '');
    expect(rLine.response?.body).toMatchObject({ object: 'response', status: 'completed' });
    expect(rDone.usage).toMatchObject({
      output_tokens: 1 + 16,
      output_tokens_details: { reasoning_tokens: 16 },
    });
  });

  it('counts malformed and scripted-error lines as failed, in an error file', async () => {
    fake.enqueue({ status: 429, errorMessage: 'slow down' }, 1, {
      operation: 'chat',
      model: 'limited',
    });
    const fileId = await inputFile(
      jsonl([
        chatLine('ok', 'fine'),
        '{"custom_id": "broken", ',
        { custom_id: 'wrong-url', method: 'POST', url: '/v1/embeddings', body: {} },
        chatLine('limited', 'x', 'limited'),
      ]),
    );
    const batch = await client.batches.create({
      input_file_id: fileId,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    });
    const done = await client.batches.retrieve(batch.id);
    expect(done).toMatchObject({
      status: 'completed',
      request_counts: { total: 4, completed: 1, failed: 3 },
    });
    const errors = await lines(done.error_file_id ?? '');
    expect(errors.map((line) => line.custom_id)).toEqual([null, 'wrong-url', 'limited']);
    expect(errors[0]).toMatchObject({ response: null, error: { code: 'invalid_request' } });
    expect(errors[2]).toMatchObject({
      error: null,
      response: {
        status_code: 429,
        body: { error: { message: 'slow down', type: 'rate_limit_exceeded' } },
      },
    });
    expect((await lines(done.output_file_id ?? '')).map((line) => line.custom_id)).toEqual(['ok']);
  });

  it('refuses an unknown input file (404) and one whose purpose is not batch (400)', async () => {
    const params = { endpoint: '/v1/chat/completions', completion_window: '24h' } as const;
    await expect(
      client.batches.create({ ...params, input_file_id: 'file-missing' }),
    ).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    const userData = await inputFile(jsonl([chatLine('a', 'x')]), 'user_data');
    await expect(
      client.batches.create({ ...params, input_file_id: userData }),
    ).rejects.toMatchObject({ status: 400, error: { param: 'input_file_id' } });
    await expect(client.batches.retrieve('batch_missing')).rejects.toBeInstanceOf(
      OpenAI.NotFoundError,
    );
  });

  it('cancels a batch before it runs: cancelling, then cancelled; a finished one stays', async () => {
    const fileId = await inputFile(jsonl([chatLine('a', 'x')]));
    const params = {
      input_file_id: fileId,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    } as const;
    const first = await client.batches.create(params);
    const cancelling = await client.batches.cancel(first.id);
    expect(cancelling).toMatchObject({ status: 'cancelling', cancelling_at: expect.any(Number) });
    const cancelled = await client.batches.retrieve(first.id);
    expect(cancelled).toMatchObject({
      status: 'cancelled',
      cancelled_at: expect.any(Number),
      output_file_id: null,
    });

    const second = await client.batches.create(params);
    const done = await client.batches.retrieve(second.id);
    expect(await client.batches.cancel(second.id)).toEqual(done);
  });

  it('lists batches newest first, a page at a time, and forgets them on reset', async () => {
    const fileId = await inputFile(jsonl([chatLine('a', 'x')]));
    const params = {
      input_file_id: fileId,
      endpoint: '/v1/chat/completions',
      completion_window: '24h',
    } as const;
    const a = await client.batches.create(params);
    const b = await client.batches.create(params);
    const c = await client.batches.create(params);

    const page = await client.batches.list({ limit: 2 });
    expect(page.data.map((batch) => batch.id)).toEqual([c.id, b.id]);
    expect(page.hasNextPage()).toBe(true);
    const next = await client.batches.list({ limit: 2, after: b.id });
    expect(next.data.map((batch) => batch.id)).toEqual([a.id]);
    expect(next.has_more).toBe(false);

    const reset = await fetch(`${fake.url}/_fake/reset`, { method: 'POST' });
    expect(reset.status).toBe(200);
    expect((await client.batches.list()).data).toEqual([]);
    await expect(client.batches.retrieve(a.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
