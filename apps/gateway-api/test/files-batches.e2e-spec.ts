import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { BATCH_PRICE_FACTOR, UsageWriter } from '@ai-gateway/core';
import OpenAI, { toFile } from 'openai';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Pool } from 'undici';
import type { IssuedKey } from './gateway-admin';
import { createGatewayKey } from './gateway-admin';
import type { TestGateway } from './harness';
import { apiErrorOf, DATABASE_URL, dropSchema, startGateway } from './harness';

const ADMIN_KEY = 'admin-files-batches-0123456789abcdef';

/** The model the batch lines name, priced in the config (USD per million tokens). */
const BATCH_MODEL = 'gpt-batchy';
const PRICE = { inputCostPerMTok: 2.5, cachedInputCostPerMTok: 1.25, outputCostPerMTok: 10 };

type Row = Record<string, unknown>;

const chatLine = (customId: string, text: string) => ({
  custom_id: customId,
  method: 'POST',
  url: '/v1/chat/completions',
  body: { model: BATCH_MODEL, messages: [{ role: 'user', content: text }] },
});
const jsonl = (lines: unknown[]): Buffer =>
  Buffer.from(lines.map((line) => `${JSON.stringify(line)}\n`).join(''));

/**
 * OpenAI's Files and Batch APIs through the gateway, with the official `openai` client:
 * uploads go to the named or first OpenAI provider (the provider's key, never the
 * gateway's), every file and batch belongs to the key that made it (any other key gets
 * 404, lists show a key its own), a batch runs at its input file's provider and its usage
 * is booked once, at half the model's price, when a retrieve first sees it finished.
 */
describe('Files and Batch APIs (e2e, official openai client)', () => {
  const schema = `files_batches_e2e_${randomBytes(5).toString('hex')}`;
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  let pg: DataSource;
  let aliceKey: IssuedKey;
  let alice: OpenAI;
  let bob: OpenAI;
  let scoped: OpenAI;
  let limited: OpenAI;

  const clientFor = (key: string): OpenAI =>
    new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
  const via = (provider: string) => ({ headers: { 'x-gateway-provider': provider } });

  /** Every usage row of a request id (flushed first). */
  const rowsOf = async (requestId: string | null | undefined): Promise<Row[]> => {
    expect(requestId).toEqual(expect.any(String));
    await gateway.app.get(UsageWriter).flush();
    return pg.query<Row[]>(
      `SELECT request_id, key_id, user_id, task, ingress, provider, model, status, error_code,
              prompt_tokens, completion_tokens, cached_tokens, reasoning_tokens,
              cost_micro_usd, priced, price_source
       FROM "${schema}".usage_log WHERE request_id = $1`,
      [requestId],
    );
  };
  const rowOf = async (requestId: string | null | undefined): Promise<Row> => {
    const rows = await rowsOf(requestId);
    expect(rows).toHaveLength(1);
    return rows[0];
  };

  const upload = async (
    as: OpenAI,
    bytes: Buffer,
    name = 'input.jsonl',
    provider?: string,
  ): Promise<{ file: OpenAI.FileObject; requestId: string | null }> => {
    const { data, response } = await as.files
      .create(
        { file: await toFile(bytes, name), purpose: 'batch' },
        provider ? via(provider) : undefined,
      )
      .withResponse();
    return { file: data, requestId: response.headers.get('x-request-id') };
  };
  const createBatch = (as: OpenAI, inputFileId: string) =>
    as.batches
      .create({
        input_file_id: inputFileId,
        endpoint: '/v1/chat/completions',
        completion_window: '24h',
      })
      .withResponse();

  beforeAll(async () => {
    fake = await startFakeProvider();
    gateway = await startGateway({
      providers: {
        // Listed first: an upload naming no provider still goes to the OpenAI-kind one.
        compat: {
          kind: 'openai-compatible',
          baseUrl: `${fake.url}/v1`,
          apiKeys: ['sk-compat-test'],
          models: ['compat-model'],
          maxRetries: 0,
        },
        openai: {
          kind: 'openai',
          baseUrl: `${fake.url}/openai/v1`,
          apiKeys: ['sk-openai-test'],
          models: [BATCH_MODEL],
          maxRetries: 0,
          modelInfo: { [BATCH_MODEL]: PRICE },
        },
        anthropic: {
          kind: 'anthropic',
          baseUrl: `${fake.url}/anthropic`,
          apiKeys: ['sk-ant-test'],
          models: ['claude-x'],
          maxRetries: 0,
        },
      },
      auth: { enabled: true, adminKey: ADMIN_KEY, hashSecret: 'hash-secret-for-tests-0123456789' },
      usage: { databaseUrl: DATABASE_URL, schema },
    });
    const issue = (input: Record<string, unknown>) =>
      createGatewayKey(gateway.url, ADMIN_KEY, input);
    aliceKey = await issue({ name: 'alice', userId: 'alice' });
    alice = clientFor(aliceKey.key);
    bob = clientFor((await issue({ name: 'bob', userId: 'bob' })).key);
    scoped = clientFor(
      (await issue({ name: 'scoped', userId: 'carol', allowedModels: [`openai/${BATCH_MODEL}`] }))
        .key,
    );
    limited = clientFor(
      (await issue({ name: 'limited', userId: 'dave', limits: { requestsPerMinute: 3 } })).key,
    );
    pg = new DataSource({ type: 'postgres', url: DATABASE_URL, poolSize: 1 });
    await pg.initialize();
  });
  afterAll(async () => {
    await pg?.destroy();
    await gateway?.close();
    await fake?.close();
    await dropSchema(schema);
  });
  beforeEach(() => fake.reset());

  describe('files', () => {
    it('an upload goes to the first OpenAI-kind provider with its key; only the owner reads, lists and deletes it', async () => {
      const bytes = Buffer.from([0x7b, 0x7d, 0x0a, 0x00, 0xff, 0x0d, 0x0a, 0x41]);
      const { file, requestId } = await upload(alice, bytes, 'blob.jsonl');
      expect(file).toMatchObject({
        id: expect.stringMatching(/^file-/),
        object: 'file',
        bytes: bytes.length,
        filename: 'blob.jsonl',
        purpose: 'batch',
      });
      // The fake kept the bytes as sent, received with the provider's key only.
      expect(fake.files).toHaveLength(1);
      expect(fake.files[0].id).toBe(file.id);
      expect(fake.files[0].content).toEqual(bytes);
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]).toMatchObject({
        path: '/openai/v1/files',
        method: 'POST',
        operation: 'files',
        apiKey: 'sk-openai-test',
        body: { purpose: 'batch', file: { filename: 'blob.jsonl', size: bytes.length } },
      });
      expect(JSON.stringify(fake.requests[0].headers)).not.toContain(aliceKey.key);
      expect(await rowOf(requestId)).toMatchObject({
        ingress: 'files',
        provider: 'openai',
        status: 'ok',
        key_id: aliceKey.id,
      });

      // Bob: 404 for retrieve, content and delete, exactly as for a missing id; nothing upstream.
      fake.clearRequests();
      for (const call of [
        () => bob.files.retrieve(file.id),
        () => bob.files.content(file.id),
        () => bob.files.delete(file.id),
      ]) {
        const error = await apiErrorOf(call());
        expect(error).toBeInstanceOf(OpenAI.NotFoundError);
        expect(error.message).toContain(file.id);
      }
      const missing = await apiErrorOf(bob.files.retrieve('file-does-not-exist'));
      expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
      expect(fake.requests).toHaveLength(0);
      expect((await bob.files.list()).data).toEqual([]);
      expect(fake.files).toHaveLength(1);

      // Alice: retrieve, content (same bytes), list, delete; each to the provider holding it.
      await expect(alice.files.retrieve(file.id)).resolves.toMatchObject({
        id: file.id,
        bytes: bytes.length,
      });
      const content = await alice.files.content(file.id);
      expect(Buffer.from(await content.arrayBuffer())).toEqual(bytes);
      const listed = await alice.files.list();
      expect(listed.data.map((f) => f.id)).toEqual([file.id]);
      expect((await alice.files.list({ purpose: 'user_data' })).data).toEqual([]);
      await expect(alice.files.delete(file.id)).resolves.toMatchObject({
        id: file.id,
        deleted: true,
      });
      expect(fake.requests.map((r) => [r.method, r.path, r.apiKey])).toEqual([
        ['GET', `/openai/v1/files/${file.id}`, 'sk-openai-test'],
        ['GET', `/openai/v1/files/${file.id}/content`, 'sk-openai-test'],
        ['DELETE', `/openai/v1/files/${file.id}`, 'sk-openai-test'],
      ]);
      expect(fake.files).toHaveLength(0);
      // Deleted: gone from the list, and a 404 for its owner too.
      expect((await alice.files.list()).data).toEqual([]);
      expect(await apiErrorOf(alice.files.retrieve(file.id))).toBeInstanceOf(OpenAI.NotFoundError);
    });

    it('x-gateway-provider names the provider: an openai-compatible one stores it; others are refused with a row', async () => {
      const { file, requestId } = await upload(
        alice,
        Buffer.from('{"a":1}\n'),
        'a.jsonl',
        'compat',
      );
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]).toMatchObject({
        path: '/v1/files',
        method: 'POST',
        apiKey: 'sk-compat-test',
        body: { purpose: 'batch', file: { filename: 'a.jsonl', size: 8 } },
      });
      expect(fake.files.map((f) => f.id)).toEqual([file.id]);
      expect(await rowOf(requestId)).toMatchObject({
        ingress: 'files',
        provider: 'compat',
        status: 'ok',
      });
      // Later calls go to the provider that holds it.
      await alice.files.retrieve(file.id);
      expect(fake.requests[1]).toMatchObject({
        method: 'GET',
        path: `/v1/files/${file.id}`,
        apiKey: 'sk-compat-test',
      });

      fake.clearRequests();
      const anthropic = await apiErrorOf(upload(alice, Buffer.from('x'), 'x.jsonl', 'anthropic'));
      expect(anthropic).toBeInstanceOf(OpenAI.BadRequestError);
      expect(anthropic.code).toBe('unsupported_feature');
      const unknown = await apiErrorOf(upload(alice, Buffer.from('x'), 'x.jsonl', 'nowhere'));
      expect(unknown).toBeInstanceOf(OpenAI.BadRequestError);
      expect(unknown.code).toBe('invalid_request');
      expect(unknown.param).toBe('x-gateway-provider');
      expect(fake.requests).toHaveLength(0);
      expect(fake.files).toHaveLength(1);
      expect(await rowOf(anthropic.headers?.get('x-request-id'))).toMatchObject({
        ingress: 'files',
        status: 'unsupported_feature',
        key_id: aliceKey.id,
      });
      expect(await rowOf(unknown.headers?.get('x-request-id'))).toMatchObject({
        ingress: 'files',
        status: 'invalid_request',
        key_id: aliceKey.id,
      });
      // The refused uploads recorded no file.
      expect((await alice.files.list()).data.map((f) => f.id)).toEqual([file.id]);
    });
  });

  describe('batches', () => {
    /** Three chat lines, each answered with its own usage. */
    const LINE_USAGE = [
      { prompt: 1_000, completion: 200, cached: 400 },
      { prompt: 2_000, completion: 300, cached: 0 },
      { prompt: 500, completion: 100, cached: 0 },
    ];

    it('a round trip: upload, create, retrieve completed, read the output; usage booked once at the batch price', async () => {
      for (const usage of LINE_USAGE) fake.enqueue({ usage }, 1, { operation: 'chat' });
      const { file: input } = await upload(
        alice,
        jsonl([chatLine('q-1', 'one'), chatLine('q-2', 'two two'), chatLine('q-3', 'three')]),
      );
      const { data: created, response: createdResponse } = await createBatch(alice, input.id);
      expect(created).toMatchObject({
        id: expect.stringMatching(/^batch_/),
        object: 'batch',
        status: 'validating',
        input_file_id: input.id,
        output_file_id: null,
      });
      expect(fake.requests.at(-1)).toMatchObject({
        method: 'POST',
        path: '/openai/v1/batches',
        apiKey: 'sk-openai-test',
        body: { input_file_id: input.id, endpoint: '/v1/chat/completions' },
      });
      expect(await rowOf(createdResponse.headers.get('x-request-id'))).toMatchObject({
        ingress: 'batches',
        provider: 'openai',
        status: 'ok',
      });
      // Nothing is booked for a batch still running.
      expect(await rowsOf(`batch:${created.id}`)).toEqual([]);

      const { data: done, response: doneResponse } = await alice.batches
        .retrieve(created.id)
        .withResponse();
      expect(done).toMatchObject({
        id: created.id,
        status: 'completed',
        output_file_id: expect.stringMatching(/^file-/),
        error_file_id: null,
        request_counts: { total: 3, completed: 3, failed: 0 },
        model: BATCH_MODEL,
        usage: {
          input_tokens: 3_500,
          input_tokens_details: { cached_tokens: 400 },
          output_tokens: 600,
          output_tokens_details: { reasoning_tokens: 0 },
          total_tokens: 4_100,
        },
      });
      expect(await rowOf(doneResponse.headers.get('x-request-id'))).toMatchObject({
        ingress: 'batches',
        provider: 'openai',
        status: 'ok',
      });

      // The output file is alice's: three lines, one per custom_id.
      const outputId = done.output_file_id!;
      const output = (await (await alice.files.content(outputId)).text())
        .trim()
        .split('\n')
        .map(
          (line) => JSON.parse(line) as { custom_id: string; response: { status_code: number } },
        );
      expect(output.map((line) => line.custom_id)).toEqual(['q-1', 'q-2', 'q-3']);
      expect(output.every((line) => line.response.status_code === 200)).toBe(true);
      expect((await alice.files.list({ purpose: 'batch_output' })).data.map((f) => f.id)).toEqual([
        outputId,
      ]);
      fake.clearRequests();
      for (const call of [() => bob.files.content(outputId), () => bob.files.retrieve(outputId)]) {
        expect(await apiErrorOf(call())).toBeInstanceOf(OpenAI.NotFoundError);
      }
      expect(await apiErrorOf(bob.batches.retrieve(created.id))).toBeInstanceOf(
        OpenAI.NotFoundError,
      );
      expect(fake.requests).toHaveLength(0);

      // One row for the batch's own usage: its tokens, half the model's price.
      const usage = done.usage!;
      const fullMicroUsd =
        (usage.input_tokens - usage.input_tokens_details.cached_tokens) * PRICE.inputCostPerMTok +
        usage.input_tokens_details.cached_tokens * PRICE.cachedInputCostPerMTok +
        usage.output_tokens * PRICE.outputCostPerMTok; // tokens × USD/M = micro-USD
      const expectedMicroUsd = Math.round(fullMicroUsd * BATCH_PRICE_FACTOR);
      expect(expectedMicroUsd).toBe(7_125); // (3,100 × 2.5 + 400 × 1.25 + 600 × 10) / 2
      const booked = await rowOf(`batch:${created.id}`);
      expect(booked).toMatchObject({
        ingress: 'batches',
        task: 'batch',
        provider: 'openai',
        model: BATCH_MODEL,
        status: 'ok',
        key_id: aliceKey.id,
        user_id: 'alice',
        prompt_tokens: usage.input_tokens,
        completion_tokens: usage.output_tokens,
        cached_tokens: usage.input_tokens_details.cached_tokens,
        reasoning_tokens: usage.output_tokens_details.reasoning_tokens,
        priced: true,
        price_source: 'config (batch ×0.5)',
      });
      expect(Number(booked.cost_micro_usd)).toBe(expectedMicroUsd);

      // Seen finished again: fresh from the provider, never booked twice.
      await expect(alice.batches.retrieve(created.id)).resolves.toMatchObject({
        status: 'completed',
        output_file_id: outputId,
      });
      expect(await rowsOf(`batch:${created.id}`)).toHaveLength(1);

      // Lists: alice's own, nothing for bob.
      const aliceBatches = await alice.batches.list();
      expect(aliceBatches.data.map((b) => b.id)).toContain(created.id);
      expect(aliceBatches.data.find((b) => b.id === created.id)).toMatchObject({
        status: 'completed',
      });
      expect((await bob.batches.list()).data).toEqual([]);
    });

    it('refusals: another key’s input file 404, no input_file_id 400, a model-scoped key 403', async () => {
      const { file } = await upload(alice, jsonl([chatLine('x', 'x')]));
      fake.clearRequests();

      const foreign = await apiErrorOf(createBatch(bob, file.id));
      expect(foreign).toBeInstanceOf(OpenAI.NotFoundError);
      expect(foreign.param).toBe('input_file_id');

      const missing = await apiErrorOf(
        bob.batches.create({
          endpoint: '/v1/chat/completions',
          completion_window: '24h',
        } as unknown as OpenAI.BatchCreateParams),
      );
      expect(missing).toBeInstanceOf(OpenAI.BadRequestError);
      expect(missing.param).toBe('input_file_id');

      const { file: scopedFile } = await upload(scoped, jsonl([chatLine('s', 's')]));
      fake.clearRequests();
      const notAllowed = await apiErrorOf(createBatch(scoped, scopedFile.id));
      expect(notAllowed).toBeInstanceOf(OpenAI.PermissionDeniedError);
      expect(notAllowed.code).toBe('model_not_allowed');

      expect(fake.requests).toHaveLength(0);
      for (const [error, status] of [
        [foreign, 'not_found'],
        [missing, 'invalid_request'],
        [notAllowed, 'model_not_allowed'],
      ] as const) {
        expect(await rowOf(error.headers?.get('x-request-id'))).toMatchObject({
          ingress: 'batches',
          status,
        });
      }
    });

    it('cancel: cancelling, then cancelled on retrieve; its row is booked once', async () => {
      const { file } = await upload(alice, jsonl([chatLine('c-1', 'never run')]));
      const { data: created } = await createBatch(alice, file.id);
      const { data: cancelling, response } = await alice.batches.cancel(created.id).withResponse();
      expect(cancelling).toMatchObject({ id: created.id, status: 'cancelling' });
      expect(fake.requests.at(-1)).toMatchObject({
        method: 'POST',
        path: `/openai/v1/batches/${created.id}/cancel`,
        apiKey: 'sk-openai-test',
      });
      expect(await rowOf(response.headers.get('x-request-id'))).toMatchObject({
        provider: 'openai',
        status: 'ok',
      });
      expect(await rowsOf(`batch:${created.id}`)).toEqual([]);
      expect(await apiErrorOf(bob.batches.cancel(created.id))).toBeInstanceOf(OpenAI.NotFoundError);

      await expect(alice.batches.retrieve(created.id)).resolves.toMatchObject({
        status: 'cancelled',
        output_file_id: null,
      });
      await alice.batches.retrieve(created.id);
      const rows = await rowsOf(`batch:${created.id}`);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({
        ingress: 'batches',
        task: 'batch',
        provider: 'openai',
        status: 'cancelled',
        key_id: aliceKey.id,
        prompt_tokens: 0,
        completion_tokens: 0,
        priced: false,
      });
      expect(fake.files.map((f) => f.id)).toEqual([file.id]);
    });
  });

  describe('files named inside requests', () => {
    it("another key's file in a chat file part or a forwarded Responses input is a 404; nothing reaches the provider", async () => {
      const { file } = await upload(alice, Buffer.from('secret notes'), 'notes.txt');
      fake.reset();
      const chat = await apiErrorOf(
        bob.chat.completions.create({
          model: `openai/${BATCH_MODEL}`,
          messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: file.id } }] }],
        }),
      );
      expect(chat).toBeInstanceOf(OpenAI.NotFoundError);
      expect(chat.error).toMatchObject({ param: 'messages[0].content[0].file.file_id' });
      const responses = await apiErrorOf(
        bob.responses.create({
          model: `openai/${BATCH_MODEL}`,
          tools: [{ type: 'web_search' }],
          input: [{ role: 'user', content: [{ type: 'input_file', file_id: file.id }] }],
        }),
      );
      expect(responses).toBeInstanceOf(OpenAI.NotFoundError);
      expect(responses.error).toMatchObject({ param: 'input[0].content[0].file_id' });
      const vectors = await apiErrorOf(
        alice.responses.create({
          model: `openai/${BATCH_MODEL}`,
          input: 'search',
          tools: [{ type: 'file_search', vector_store_ids: ['vs_someone'] }],
        }),
      );
      expect(vectors).toBeInstanceOf(OpenAI.BadRequestError);
      expect(vectors.error).toMatchObject({
        code: 'unsupported_feature',
        param: 'tools[0].vector_store_ids',
      });
      expect(fake.requests).toHaveLength(0);
      // The owner's own file goes through.
      const own = await alice.chat.completions.create({
        model: `openai/${BATCH_MODEL}`,
        messages: [{ role: 'user', content: [{ type: 'file', file: { file_id: file.id } }] }],
      });
      expect(own.choices[0].message.role).toBe('assistant');
      expect(fake.requests).toHaveLength(1);
    });

    it('a file the provider no longer has is a 404 and leaves the list', async () => {
      const { file } = await upload(alice, Buffer.from('{}\n'));
      // Deleted at the provider behind the gateway's back.
      const gone = await fetch(`${fake.url}/openai/v1/files/${file.id}`, {
        method: 'DELETE',
        headers: { authorization: 'Bearer sk-openai-test' },
      });
      expect(gone.status).toBe(200);
      expect(await apiErrorOf(alice.files.retrieve(file.id))).toBeInstanceOf(OpenAI.NotFoundError);
      const listed = await alice.files.list();
      expect(listed.data.map((f) => f.id)).not.toContain(file.id);
    });

    it('a key whose budget has no room cannot start a batch (429 budget_exceeded)', async () => {
      const broke = clientFor(
        (await createGatewayKey(gateway.url, ADMIN_KEY, { name: 'broke', budget: { dailyUsd: 0 } }))
          .key,
      );
      const { file } = await upload(broke, jsonl([chatLine('b-1', 'hi')]));
      fake.reset();
      const refused = await apiErrorOf(createBatch(broke, file.id));
      expect(refused.status).toBe(429);
      expect(refused.error).toMatchObject({ code: 'budget_exceeded' });
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('a key several users share', () => {
    it('books a batch to the user who made it, whoever retrieves it', async () => {
      const backend = clientFor(
        (await createGatewayKey(gateway.url, ADMIN_KEY, { name: 'backend', multiUser: true })).key,
      );
      const asErin = { headers: { 'x-gateway-user': 'erin' } };
      const { data: file } = await backend.files
        .create(
          { file: await toFile(jsonl([chatLine('e-1', 'hi')]), 'e.jsonl'), purpose: 'batch' },
          asErin,
        )
        .withResponse();
      const created = await backend.batches.create(
        { input_file_id: file.id, endpoint: '/v1/chat/completions', completion_window: '24h' },
        asErin,
      );
      // Retrieved by the backend for nobody in particular.
      const done = await backend.batches.retrieve(created.id);
      expect(done.status).toBe('completed');
      expect(await rowOf(`batch:${created.id}`)).toMatchObject({ user_id: 'erin', task: 'batch' });
    });
  });

  describe('an upload refused before it is read', () => {
    it('is drained once the refusal is out, so the same connection carries the next request', async () => {
      const pool = new Pool(gateway.url, { connections: 1, pipelining: 1 });
      try {
        const form = new FormData();
        form.append('purpose', 'batch');
        form.append('file', new Blob([Buffer.alloc(4 * 1024 * 1024, 120)]), 'big.jsonl');
        const encoded = new Response(form);
        const refused = await pool.request({
          path: '/v1/files',
          method: 'POST',
          headers: {
            authorization: `Bearer ${aliceKey.key}`,
            'content-type': encoded.headers.get('content-type')!,
            // A malformed gateway header: refused before the upload is looked at.
            'x-gateway-max-cost-usd': 'lots',
          },
          body: Buffer.from(await encoded.arrayBuffer()),
        });
        expect(refused.statusCode).toBe(400);
        await refused.body.text();
        // One connection only: this waits for the whole upload above to have been taken.
        const next = await pool.request({
          path: '/v1/files',
          method: 'GET',
          headers: { authorization: `Bearer ${aliceKey.key}` },
        });
        expect(next.statusCode).toBe(200);
        await next.body.text();
      } finally {
        await pool.close();
      }
    });
  });

  describe('usage rows and rate limits', () => {
    it('every call forwarded has its own row: ingress, provider, status', async () => {
      const { file, requestId: uploaded } = await upload(alice, jsonl([chatLine('r', 'r')]));
      const retrieved = await alice.files.retrieve(file.id).withResponse();
      const content = await alice.files.content(file.id).withResponse();
      const batch = await createBatch(alice, file.id);
      const batchSeen = await alice.batches.retrieve(batch.data.id).withResponse();
      const deleted = await alice.files.delete(file.id).withResponse();
      const ids = [
        uploaded,
        retrieved.response.headers.get('x-request-id'),
        content.response.headers.get('x-request-id'),
        batch.response.headers.get('x-request-id'),
        batchSeen.response.headers.get('x-request-id'),
        deleted.response.headers.get('x-request-id'),
      ];
      expect(new Set(ids).size).toBe(ids.length);
      const rows = await Promise.all(ids.map((id) => rowOf(id)));
      expect(rows.map((row) => [row.ingress, row.provider, row.status, row.key_id])).toEqual([
        ['files', 'openai', 'ok', aliceKey.id],
        ['files', 'openai', 'ok', aliceKey.id],
        ['files.content', 'openai', 'ok', aliceKey.id],
        ['batches', 'openai', 'ok', aliceKey.id],
        ['batches', 'openai', 'ok', aliceKey.id],
        ['files', 'openai', 'ok', aliceKey.id],
      ]);
    });

    // Described: every call has its own row. Seen: the owner check (FilesService.owned /
    // BatchesService.owned) throws before the passthrough and outside RequestLedger.refused,
    // so another key's (or a missing id's) retrieve/content/delete/cancel leaves no row.
    it('a call refused by the owner check (404) has its own row too', async () => {
      const { file } = await upload(alice, jsonl([chatLine('o', 'o')]));
      const { data: batch } = await createBatch(alice, file.id);
      const refusals = await Promise.all([
        apiErrorOf(bob.files.retrieve(file.id)),
        apiErrorOf(bob.files.content(file.id)),
        apiErrorOf(bob.files.delete(file.id)),
        apiErrorOf(bob.batches.retrieve(batch.id)),
        apiErrorOf(bob.batches.cancel(batch.id)),
      ]);
      for (const error of refusals) {
        expect(error).toBeInstanceOf(OpenAI.NotFoundError);
        expect(await rowOf(error.headers?.get('x-request-id'))).toMatchObject({
          status: 'not_found',
        });
      }
    });

    it('file and batch calls count as requests against the key’s rate limit', async () => {
      const { file } = await upload(limited, Buffer.from('{}\n'));
      await limited.files.retrieve(file.id);
      await limited.files.content(file.id);
      fake.clearRequests();
      const refused = await apiErrorOf(limited.files.retrieve(file.id));
      expect(refused).toBeInstanceOf(OpenAI.RateLimitError);
      expect(refused.code).toBe('rate_limit_exceeded');
      expect(fake.requests).toHaveLength(0);
    });
  });
});
