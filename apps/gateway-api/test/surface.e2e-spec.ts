import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { UsageWriter } from '@ai-gateway/core';
import type { UsageRequestRecord, UsageRequestsPage } from '@ai-gateway/core';
import OpenAI, { toFile } from 'openai';
import type { TestGateway } from './harness';
import { apiErrorOf, startGateway } from './harness';

/** Bodies over this are refused (uploads included): small, so a test can pass it. */
const BODY_LIMIT = 1024 * 1024;

/**
 * Issue 15, "the rest of OpenAI's surface": the official `openai` client against the
 * gateway for legacy completions, moderations, images, speech and transcriptions (a
 * multipart upload) — passed through to an OpenAI-kind fake upstream, each with its usage
 * row — refused with `unsupported_feature` on a Gemini target; `models.retrieve` of a slash
 * id; an unknown model is a 404 the client raises as `NotFoundError`.
 */
describe('OpenAI surface: passthrough endpoints, models.retrieve, 404 model_not_found (e2e)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;
  let client: OpenAI;
  const id = (name: string): { headers: Record<string, string> } => ({
    headers: { 'x-request-id': `surface-${name}` },
  });

  const usageRows = async (): Promise<UsageRequestRecord[]> => {
    await gateway.app.get(UsageWriter).flush();
    const response = await fetch(`${gateway.url}/v1/usage/requests?limit=100`);
    expect(response.status).toBe(200);
    return ((await response.json()) as UsageRequestsPage).data;
  };
  const rowOf = async (name: string): Promise<UsageRequestRecord | undefined> =>
    (await usageRows()).find((row) => row.clientRequestId === `surface-${name}`);

  beforeAll(async () => {
    fake = await startFakeProvider();
    const models = [
      'gpt-4o-mini',
      'gpt-3.5-turbo-instruct',
      'omni-moderation-latest',
      'gpt-image-1',
      'tts-1',
      'whisper-1',
    ];
    gateway = await startGateway({
      server: { bodyLimitBytes: BODY_LIMIT },
      providers: {
        openai: {
          kind: 'openai',
          baseUrl: `${fake.url}/openai/v1`,
          apiKeys: ['sk-openai-test'],
          models,
          maxRetries: 0,
          priority: 1,
          modelInfo: {
            'gpt-3.5-turbo-instruct': { inputCostPerMTok: 1.5, outputCostPerMTok: 2 },
          },
        },
        // Serves the same moderation model: the fallback when `openai` fails.
        backup: {
          kind: 'openai-compatible',
          baseUrl: `${fake.url}/v1`,
          apiKeys: ['sk-backup-test'],
          models: ['omni-moderation-latest', 'whisper-1'],
          maxRetries: 0,
          priority: 2,
        },
        gemini: {
          kind: 'gemini',
          baseUrl: `${fake.url}/gemini`,
          apiKeys: ['gemini-test'],
          models: ['gemini-2.0-flash'],
        },
      },
      routes: { moderate: { targets: ['openai/omni-moderation-latest'] } },
      budgets: { users: { spender: { dailyUsd: 0.002 } } },
    });
    client = gateway.client;
  });
  afterAll(async () => {
    await gateway?.close();
    await fake?.close();
  });
  beforeEach(() => fake.reset());

  describe('passed through to an OpenAI-kind upstream, each with a usage row', () => {
    it('moderations.create: the provider key, the provider’s model id, the answer as sent', async () => {
      const { data, response } = await client.moderations
        .create(
          { model: 'openai/omni-moderation-latest', input: ['hello', 'graphic violence'] },
          id('moderations'),
        )
        .withResponse();
      expect(data.results.map((r) => r.flagged)).toEqual([false, true]);
      expect(response.headers.get('x-gateway-provider')).toBe('openai');
      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]).toMatchObject({
        path: '/openai/v1/moderations',
        operation: 'moderations',
        apiKey: 'sk-openai-test',
        body: { model: 'omni-moderation-latest', input: ['hello', 'graphic violence'] },
      });
      // The gateway key never travels upstream.
      expect(JSON.stringify(fake.requests[0].headers)).not.toContain('gateway-test-key');
      expect(await rowOf('moderations')).toMatchObject({
        ingress: 'moderations',
        provider: 'openai',
        model: 'omni-moderation-latest',
        status: 'ok',
        priced: false,
        costUsd: null,
      });
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      expect(metrics).toMatch(
        /gateway_requests_total\{provider="openai",model="omni-moderation-latest",operation="passthrough",status="ok"\} 1/,
      );
    });

    it('images.generate: base64 images, and the usage the upstream reported', async () => {
      fake.enqueue({ usage: { prompt: 12, completion: 340 } });
      const images = await client.images.generate(
        { model: 'openai/gpt-image-1', prompt: 'a red square', n: 2 },
        id('images'),
      );
      expect(images.data).toHaveLength(2);
      expect(Buffer.from(images.data![0].b64_json!, 'base64').subarray(1, 4).toString()).toBe(
        'PNG',
      );
      expect(fake.requests[0]).toMatchObject({
        path: '/openai/v1/images/generations',
        body: { model: 'gpt-image-1', prompt: 'a red square', n: 2 },
      });
      expect(await rowOf('images')).toMatchObject({
        ingress: 'images.generations',
        provider: 'openai',
        promptTokens: 12,
        completionTokens: 340,
        status: 'ok',
        // Per-image billing has no token price: recorded, never charged.
        priced: false,
      });
    });

    it('audio.transcriptions.create: the multipart file arrives whole, model first or last', async () => {
      const audio = Buffer.alloc(300_000, 7);
      const modelFirst = await client.audio.transcriptions.create(
        {
          model: 'openai/whisper-1',
          file: await toFile(audio, 'speech.wav', { type: 'audio/wav' }),
        },
        id('transcriptions'),
      );
      expect(modelFirst.text).toBe('fake transcript of speech.wav (300000 bytes)');
      // The file before the model: held up to the model field (within the body limit).
      const fileFirst = await client.audio.transcriptions.create({
        file: await toFile(Buffer.alloc(200_000, 9), 'clip.mp3', { type: 'audio/mpeg' }),
        model: 'openai/whisper-1',
        language: 'en',
      });
      expect(fileFirst.text).toBe('fake transcript of clip.mp3 (200000 bytes)');
      expect(fake.requests.map((r) => r.body)).toEqual([
        {
          model: 'whisper-1',
          file: {
            filename: 'speech.wav',
            contentType: 'audio/wav',
            size: 300_000,
            head: expect.any(String),
          },
        },
        {
          model: 'whisper-1',
          language: 'en',
          file: {
            filename: 'clip.mp3',
            contentType: 'audio/mpeg',
            size: 200_000,
            head: expect.any(String),
          },
        },
      ]);
      expect(await rowOf('transcriptions')).toMatchObject({
        ingress: 'audio.transcriptions',
        provider: 'openai',
        model: 'whisper-1',
        status: 'ok',
        promptTokens: 293, // the fake's 1 token per KiB of audio
      });
    });

    it('audio.speech.create: the binary audio comes back byte for byte', async () => {
      const speech = await client.audio.speech.create(
        { model: 'openai/tts-1', voice: 'alloy', input: 'hello there', response_format: 'wav' },
        id('speech'),
      );
      expect(speech.headers.get('content-type')).toBe('audio/wav');
      expect(Buffer.from(await speech.arrayBuffer()).toString()).toBe('FAKE-AUDIO\nhello there');
      expect(await rowOf('speech')).toMatchObject({
        ingress: 'audio.speech',
        provider: 'openai',
        model: 'tts-1',
        status: 'ok',
      });
    });

    it('completions.create (legacy): priced by tokens, JSON and streamed', async () => {
      fake.enqueue({ usage: { prompt: 1_000, completion: 500 } });
      const completion = await client.completions.create(
        { model: 'openai/gpt-3.5-turbo-instruct', prompt: 'Say this is a test', max_tokens: 7 },
        id('completions'),
      );
      expect(completion.choices[0].text).toBe('Say this is a test');
      expect(completion.usage).toMatchObject({ prompt_tokens: 1_000, completion_tokens: 500 });
      const stream = await client.completions.create(
        {
          model: 'openai/gpt-3.5-turbo-instruct',
          prompt: 'one two three',
          stream: true,
          stream_options: { include_usage: true },
        },
        id('completions-stream'),
      );
      let text = '';
      for await (const chunk of stream) text += chunk.choices[0]?.text ?? '';
      expect(text).toBe('one two three');
      // 1,000 × $1.50/M + 500 × $2/M = $0.0025.
      expect(await rowOf('completions')).toMatchObject({
        ingress: 'completions',
        promptTokens: 1_000,
        completionTokens: 500,
        priced: true,
        costUsd: 0.0025,
        status: 'ok',
      });
      expect(await rowOf('completions-stream')).toMatchObject({
        ingress: 'completions',
        stream: true,
        streamCompleted: true,
        completionTokens: expect.any(Number),
        status: 'ok',
      });
    });
  });

  describe('budgets', () => {
    it('a priced completion is charged to the user; over budget it is refused before the provider', async () => {
      const asSpender = { headers: { 'x-gateway-user': 'spender' } };
      fake.enqueue({ usage: { prompt: 1_000, completion: 500 } }); // $0.0025 > the $0.002 budget
      await client.completions.create(
        { model: 'openai/gpt-3.5-turbo-instruct', prompt: 'hi', max_tokens: 5 },
        asSpender,
      );
      const refused = await apiErrorOf(
        client.completions.create(
          { model: 'openai/gpt-3.5-turbo-instruct', prompt: 'hi', max_tokens: 5 },
          asSpender,
        ),
      );
      expect(refused.status).toBe(429);
      expect(refused.code).toBe('budget_exceeded');
      // Unpriced endpoints are never charged, so they are not held against the budget.
      await client.moderations.create(
        { model: 'openai/omni-moderation-latest', input: 'hi' },
        asSpender,
      );
      expect(fake.requests.map((r) => r.operation)).toEqual(['completions', 'moderations']);
    });
  });

  describe('routing', () => {
    it('a failing provider falls back to the next that serves the model (the trace shows it)', async () => {
      fake.enqueue({ status: 500 }, 1, {
        operation: 'moderations',
        format: 'openai',
        apiKey: 'sk-openai-test',
      });
      const { data, response } = await client.moderations
        .create({ model: 'omni-moderation-latest', input: 'hi' })
        .withResponse();
      expect(data.results).toHaveLength(1);
      expect(response.headers.get('x-gateway-provider')).toBe('backup');
      expect(response.headers.get('x-gateway-trace')).toBe(
        'openai/omni-moderation-latest=server_error, backup/omni-moderation-latest=ok',
      );
    });

    it('a route name reaches its target', async () => {
      await client.moderations.create({ model: 'moderate', input: 'hi' });
      expect(fake.requests[0]).toMatchObject({ path: '/openai/v1/moderations' });
    });

    it('an upload over the body limit is a 413, and nothing reaches the provider', async () => {
      const error = await apiErrorOf(
        client.audio.transcriptions.create({
          model: 'openai/whisper-1',
          file: await toFile(Buffer.alloc(BODY_LIMIT + 1, 1), 'long.wav'),
        }),
      );
      // The gateway answers 413 as soon as the declared length is over the limit and closes
      // the connection; a client still sending its body may see the close before the answer
      // (Node 24's fetch does). Either way the upload is refused and nothing goes upstream.
      if (!(error instanceof OpenAI.APIConnectionError)) expect(error.status).toBe(413);
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('an upload streamed without a length', () => {
    /** A multipart upload sent in 64 KiB chunks with no content-length (chunked). */
    const chunkedUpload = (fileBytes: number): Promise<Response> => {
      const boundary = 'surface-boundary';
      const head = Buffer.from(
        `--${boundary}\r\nContent-Disposition: form-data; name="model"\r\n\r\nopenai/whisper-1\r\n` +
          `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="big.wav"\r\n\r\n`,
      );
      const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
      let sent = 0;
      const body = new ReadableStream<Uint8Array>({
        pull(controller) {
          if (sent === 0) controller.enqueue(head);
          const size = Math.min(64 * 1024, fileBytes - sent);
          if (size > 0) controller.enqueue(Buffer.alloc(size, 5));
          sent += Math.max(size, 1);
          if (sent >= fileBytes) {
            controller.enqueue(tail);
            controller.close();
          }
        },
      });
      return fetch(`${gateway.url}/v1/audio/transcriptions`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
        body,
        duplex: 'half',
      });
    };

    it('is forwarded as it arrives', async () => {
      const response = await chunkedUpload(600_000);
      expect(response.status).toBe(200);
      expect(await response.json()).toMatchObject({
        text: 'fake transcript of big.wav (600000 bytes)',
      });
    });

    it('past the body limit mid-way: 413, and the provider never gets a whole request', async () => {
      // Past the limit by less than another limit: the rest is read and dropped, so the
      // connection stays open for the next request (past that, it would be closed).
      const response = await chunkedUpload(BODY_LIMIT + 300_000);
      expect(response.status).toBe(413);
      expect(await response.json()).toMatchObject({ error: { code: 'payload_too_large' } });
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('a provider kind without the endpoint: 400 unsupported_feature naming it', () => {
    const target = 'gemini/gemini-2.0-flash';
    it.each([
      ['moderations', () => client.moderations.create({ model: target, input: 'hi' })],
      ['images/generations', () => client.images.generate({ model: target, prompt: 'a cat' })],
      [
        'audio/speech',
        () => client.audio.speech.create({ model: target, voice: 'alloy', input: 'hi' }),
      ],
      [
        'audio/transcriptions',
        async () =>
          client.audio.transcriptions.create({
            model: target,
            file: await toFile(Buffer.alloc(50_000, 3), 'a.wav'),
          }),
      ],
      ['completions', () => client.completions.create({ model: target, prompt: 'hi' })],
    ])('POST /v1/%s', async (path, call) => {
      const error = await apiErrorOf(call());
      expect(error).toBeInstanceOf(OpenAI.BadRequestError);
      expect(error.code).toBe('unsupported_feature');
      expect(error.message).toContain(`POST /v1/${path}`);
      expect(error.message).toContain('"gemini" (gemini)');
      expect(fake.requests).toHaveLength(0);
    });
  });

  describe('models', () => {
    it('models.retrieve of a slash id, a bare model and a route', async () => {
      await expect(client.models.retrieve('openai/gpt-4o-mini')).resolves.toMatchObject({
        id: 'openai/gpt-4o-mini',
        object: 'model',
        owned_by: 'openai',
      });
      await expect(client.models.retrieve('gemini-2.0-flash')).resolves.toMatchObject({
        id: 'gemini-2.0-flash',
        object: 'model',
        owned_by: 'gemini',
      });
      await expect(client.models.retrieve('moderate')).resolves.toMatchObject({
        id: 'moderate',
        owned_by: 'gateway-route',
      });
      // Unencoded slashes reach the same route.
      const raw = await fetch(`${gateway.url}/v1/models/openai/gpt-4o-mini`);
      expect(await raw.json()).toMatchObject({ id: 'openai/gpt-4o-mini' });
    });

    it('an unknown model is a 404 model_not_found: NotFoundError in the client', async () => {
      for (const call of [
        () => client.models.retrieve('nobody/none'),
        () =>
          client.chat.completions.create({
            model: 'nobody/none',
            messages: [{ role: 'user', content: 'hi' }],
          }),
        () => client.embeddings.create({ model: 'no-such-embedder', input: 'hi' }),
        () => client.moderations.create({ model: 'no-such-moderator', input: 'hi' }),
      ]) {
        const error = await apiErrorOf(call());
        expect(error).toBeInstanceOf(OpenAI.NotFoundError);
        expect(error.status).toBe(404);
        expect(error.code).toBe('model_not_found');
        expect(error.type).toBe('invalid_request_error');
      }
      expect(fake.requests).toHaveLength(0);
    });
  });
});
