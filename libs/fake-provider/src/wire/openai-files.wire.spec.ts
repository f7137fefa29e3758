import OpenAI, { toFile } from 'openai';
import type { FakeProviderServer } from '../fake-provider.server';
import { startFakeProvider } from '../fake-provider.server';
import { FAKE_FILE_LIMIT } from './openai-files.wire';

describe('openAiFilesWire', () => {
  let fake: FakeProviderServer;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeProvider();
    client = new OpenAI({ baseURL: `${fake.url}/openai/v1`, apiKey: 'sk-files', maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  const upload = async (name: string, text: string, purpose: 'batch' | 'user_data' = 'batch') =>
    client.files.create({ file: await toFile(Buffer.from(text), name), purpose });

  it('keeps an upload and serves its object and bytes back', async () => {
    const bytes = Buffer.from([0, 1, 2, 13, 10, 255]);
    const created = await client.files.create({
      file: await toFile(bytes, 'blob.bin'),
      purpose: 'user_data',
      expires_after: { anchor: 'created_at', seconds: 3600 },
    });
    expect(created).toEqual({
      id: expect.stringMatching(/^file-/),
      object: 'file',
      bytes: 6,
      created_at: expect.any(Number),
      filename: 'blob.bin',
      purpose: 'user_data',
      status: 'processed',
      expires_at: created.created_at + 3600,
      status_details: null,
    });
    expect(await client.files.retrieve(created.id)).toEqual(created);
    const content = await client.files.content(created.id);
    expect(content.headers.get('content-type')).toBe('application/octet-stream');
    expect(Buffer.from(await content.arrayBuffer())).toEqual(bytes);
    expect(fake.files.map((f) => f.id)).toEqual([created.id]);
  });

  it('records uploads like other requests, without the kept bytes', async () => {
    await upload('in.jsonl', '{"a":1}\n');
    const recorded = fake.requests[0];
    expect(recorded).toMatchObject({
      operation: 'files',
      method: 'POST',
      apiKey: 'sk-files',
      body: { purpose: 'batch', file: { filename: 'in.jsonl', size: 8, head: '{"a":1}\n' } },
    });
    expect(JSON.stringify(recorded.body)).not.toContain('"content"');
  });

  it('lists newest first, by purpose, a page at a time', async () => {
    const a = await upload('a.jsonl', 'a');
    const b = await upload('b.txt', 'b', 'user_data');
    const c = await upload('c.jsonl', 'c');

    const all = await client.files.list();
    expect(all.data.map((f) => f.id)).toEqual([c.id, b.id, a.id]);
    const batchFiles = await client.files.list({ purpose: 'batch' });
    expect(batchFiles.data.map((f) => f.id)).toEqual([c.id, a.id]);

    const first = await client.files.list({ limit: 1 });
    expect(first.data.map((f) => f.id)).toEqual([c.id]);
    expect(first.hasNextPage()).toBe(true);
    const ids: string[] = [];
    for await (const file of client.files.list({ limit: 2 })) ids.push(file.id);
    expect(ids).toEqual([c.id, b.id, a.id]);
  });

  it('deletes a file, and answers 404 in OpenAI’s shape for an unknown id', async () => {
    const file = await upload('gone.jsonl', 'x');
    expect(await client.files.delete(file.id)).toEqual({
      id: file.id,
      object: 'file',
      deleted: true,
    });
    const res = await fetch(`${fake.url}/v1/files/${file.id}`, {
      headers: { authorization: 'Bearer sk-files' },
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      error: {
        message: `No such File object: ${file.id}`,
        type: 'invalid_request_error',
        param: 'id',
        code: null,
      },
    });
    await expect(client.files.content(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.files.delete(file.id)).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    expect(fake.requests.at(-1)).toMatchObject({ method: 'DELETE', operation: 'files' });
  });

  it('refuses an upload without a purpose, or larger than it keeps', async () => {
    const form = new FormData();
    form.append('file', new Blob(['x']), 'a.txt');
    const missing = await fetch(`${fake.url}/v1/files`, { method: 'POST', body: form });
    expect(missing.status).toBe(400);
    expect(await missing.json()).toMatchObject({ error: { param: 'purpose' } });

    const big = client.files.create({
      file: await toFile(Buffer.alloc(FAKE_FILE_LIMIT + 1), 'big.bin'),
      purpose: 'user_data',
    });
    await expect(big).rejects.toMatchObject({ status: 413 });
  });

  it('honours a scripted error on a files route', async () => {
    fake.enqueue({ status: 503 }, 1, { operation: 'files' });
    await expect(upload('a.jsonl', 'a')).rejects.toBeInstanceOf(OpenAI.InternalServerError);
    expect(fake.files).toHaveLength(0);
  });

  it('forgets every file on reset, and on DELETE /_fake/store', async () => {
    await upload('a.jsonl', 'a');
    fake.reset();
    expect((await client.files.list()).data).toEqual([]);

    await upload('b.jsonl', 'b');
    const cleared = await fetch(`${fake.url}/_fake/store`, { method: 'DELETE' });
    expect(await cleared.json()).toEqual({ cleared: true });
    expect(fake.files).toEqual([]);
  });
});
