import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { ProviderConfig } from '../../config/gateway-config.schema';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { timeoutError } from '../../errors/http-status-error.mapper';
import type { ChatChunk, ChatRequest } from '../../types/unified';
import { MistralProvider } from '../mistral/mistral.provider';
import type { ProviderCallContext } from '../provider-adapter.interface';
import { OpenAiCompatibleProvider } from './openai-compatible.provider';
import {
  collectChunks as collect,
  rejectionOf as failure,
} from '../../../test/adapter-spec.helpers';

describe(OpenAiCompatibleProvider.name, () => {
  let fake: FakeProviderServer;
  let provider: OpenAiCompatibleProvider;
  let mistral: MistralProvider;

  const config = (extra: Partial<ProviderConfig> = {}): ProviderConfig =>
    Object.assign(new ProviderConfig(), {
      name: 'vllm',
      kind: 'openai-compatible',
      baseUrl: `${fake.url}/v1`,
      headers: { 'x-team': 'core', 'HTTP-Referer': 'https://gateway.example' },
      ...extra,
    });
  const ctx = (extra: Partial<ProviderCallContext> = {}): ProviderCallContext => ({
    requestId: 't',
    signal: new AbortController().signal,
    timeoutMs: 5000,
    apiKey: 'sk-test-1',
    ...extra,
  });
  const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
    model: 'fake-chat',
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hello there' },
    ],
    ...extra,
  });

  beforeAll(async () => {
    fake = await startFakeProvider();
    provider = new OpenAiCompatibleProvider(config());
    mistral = new MistralProvider(
      config({ name: 'mistral', kind: 'mistral', baseUrl: `${fake.url}/mistral/v1`, headers: {} }),
    );
  });
  afterAll(async () => {
    await provider.close();
    await mistral.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  describe('requests', () => {
    it('forwards the request unchanged, unknown fields included', async () => {
      const request = ask({
        temperature: 0.2,
        logit_bias: { '50256': -100 },
        top_k: 40,
        guided_json: { type: 'object', properties: { a: { type: 'string' } } },
        chat_template_kwargs: { enable_thinking: false },
      });
      fake.enqueue({ text: 'hi', usage: { prompt: 9, completion: 1 } });

      const res = await provider.chat(request, ctx());

      expect(fake.requests).toHaveLength(1);
      expect(fake.requests[0]).toMatchObject({
        format: 'openai',
        operation: 'chat',
        path: '/v1/chat/completions',
        stream: false,
      });
      expect(fake.requests[0].body).toEqual(request);
      expect(res.choices[0].message.content).toBe('hi');
      expect(res.usage).toMatchObject({ prompt_tokens: 9, completion_tokens: 1, total_tokens: 10 });
    });

    it('turns stream: true off for a non-streaming call', async () => {
      await provider.chat(ask({ stream: true }), ctx());
      expect(fake.requests[0].body).toMatchObject({ stream: false });
      expect(fake.requests[0].stream).toBe(false);
    });

    it('sends the API key as a bearer token and the configured headers', async () => {
      await provider.chat(ask(), ctx({ apiKey: 'sk-test-2' }));
      const sent = fake.requests[0];
      expect(sent.apiKey).toBe('sk-test-2');
      expect(sent.headers.authorization).toBe('Bearer sk-test-2');
      expect(sent.headers['x-team']).toBe('core');
      expect(sent.headers['http-referer']).toBe('https://gateway.example');
      expect(sent.headers['content-type']).toBe('application/json');
    });

    it('sends no authorization header without a key', async () => {
      await provider.chat(ask(), ctx({ apiKey: undefined }));
      expect(fake.requests[0].apiKey).toBeUndefined();
      expect(fake.requests[0].headers.authorization).toBeUndefined();
    });

    it('forwards an embeddings request unchanged and returns the vectors', async () => {
      const request = {
        model: 'text-embedding-fake',
        input: ['a', 'b'],
        dimensions: 8,
        user: 'u1',
      };
      const res = await provider.embed(request, ctx());
      expect(fake.requests[0]).toMatchObject({ operation: 'embeddings', path: '/v1/embeddings' });
      expect(fake.requests[0].body).toEqual(request);
      expect(res.data).toHaveLength(2);
      expect(res.data[0].embedding).toHaveLength(8);
    });
  });

  describe('streams', () => {
    it('always asks upstream for usage and ends with exactly one usage chunk', async () => {
      fake.enqueue({ text: 'one two three', usage: { prompt: 7, completion: 3 } });

      const chunks = await collect(
        await provider.chatStream(ask({ stream_options: { include_usage: false } }), ctx()),
      );

      expect(fake.requests[0].body).toMatchObject({
        stream: true,
        stream_options: { include_usage: true },
      });
      expect(fake.requests[0].stream).toBe(true);
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('one two three');
      expect(chunks.filter((c) => c.usage)).toHaveLength(1);
      expect(chunks[chunks.length - 2].choices[0].finish_reason).toBe('stop');
      expect(chunks[chunks.length - 1]).toMatchObject({
        object: 'chat.completion.chunk',
        choices: [],
        usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
      });
    });

    it('adds stream and stream_options to a request that has neither', async () => {
      await collect(await provider.chatStream(ask(), ctx()));
      expect(fake.requests[0].body).toEqual({
        ...ask(),
        stream: true,
        stream_options: { include_usage: true },
      });
    });

    it('throws stream_interrupted after yielding the chunks sent before a cut', async () => {
      fake.enqueue({ text: 'a b c d', fault: 'disconnect', faultAfterChunks: 2 });
      const chunks: ChatChunk[] = [];
      const error = await failure(collect(await provider.chatStream(ask(), ctx()), chunks));
      expect(chunks.map((c) => c.choices[0].delta.content)).toEqual(['', 'a ']);
      expect(error).toMatchObject({
        code: GatewayErrorCode.STREAM_INTERRUPTED,
        provider: 'vllm',
        retryable: true,
      });
    });

    it('throws an error event sent inside a 200 stream', async () => {
      fake.enqueue({ text: 'a b c d', fault: 'error-event', faultAfterChunks: 2 });
      const chunks: ChatChunk[] = [];
      const error = await failure(collect(await provider.chatStream(ask(), ctx()), chunks));
      expect(chunks).toHaveLength(2);
      expect(error).toMatchObject({
        code: GatewayErrorCode.SERVER_ERROR,
        provider: 'vllm',
        retryable: true,
      });
      expect(error.message).toContain('The server had an error while processing your request.');
    });

    it('maps a malformed stream event to server_error', async () => {
      fake.enqueue({ text: 'a b', fault: 'malformed', faultAfterChunks: 1 });
      const chunks: ChatChunk[] = [];
      const error = await failure(collect(await provider.chatStream(ask(), ctx()), chunks));
      expect(chunks).toHaveLength(1);
      expect(error).toMatchObject({ code: GatewayErrorCode.SERVER_ERROR, provider: 'vllm' });
    });

    it('releases the connection when the consumer breaks out early', async () => {
      // One pooled connection: if breaking off did not free it, the next call would queue behind the stream.
      const single = new OpenAiCompatibleProvider(config({ maxConnections: 1 }));
      try {
        fake.enqueue({ text: 'a b c d e f', chunkDelayMs: 10_000 });
        const seen: ChatChunk[] = [];
        for await (const chunk of await single.chatStream(ask(), ctx())) {
          seen.push(chunk);
          break;
        }
        expect(seen[0].choices[0].delta.role).toBe('assistant');

        const res = await single.chat(ask(), ctx());
        expect(res.choices[0].message.content).toBe('hello there');
        expect(fake.requests).toHaveLength(2);
      } finally {
        await single.close();
      }
    });
  });

  describe('after [DONE]', () => {
    it('ends the stream at [DONE]; a server that keeps the response open past it has its connection closed', async () => {
      // Waits for the close (the gateway gives up after its 1 s grace), however slow the machine.
      let closed!: () => void;
      const serverSawClose = new Promise<void>((resolve) => (closed = resolve));
      const server = createServer((req, res) => {
        req.resume();
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        const chunk = {
          id: 'c1',
          object: 'chat.completion.chunk',
          created: 1,
          model: 'm',
          choices: [
            { index: 0, delta: { role: 'assistant', content: 'hi' }, finish_reason: 'stop' },
          ],
        };
        res.write(`data: ${JSON.stringify(chunk)}\n\ndata: [DONE]\n\n`);
        // Never ends: a comment past [DONE], and the response stays open.
        res.write(': still here\n');
        res.on('close', closed);
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const provider = new OpenAiCompatibleProvider(
        config({ baseUrl: `http://127.0.0.1:${port}/v1`, maxConnections: 1 }),
      );
      try {
        const texts: string[] = [];
        for await (const c of await provider.chatStream(ask(), ctx())) {
          texts.push(c.choices[0]?.delta?.content ?? '');
        }
        expect(texts.join('')).toBe('hi');
        await serverSawClose;
      } finally {
        await provider.close();
        await new Promise((resolve) => server.close(resolve));
      }
    });
  });

  describe('errors', () => {
    it('maps a 429 with Retry-After to rate_limited, before a stream opens too', async () => {
      fake.enqueue({ status: 429, retryAfter: '2', errorMessage: 'Rate limit reached' }, 2);
      for (const call of [provider.chat(ask(), ctx()), provider.chatStream(ask(), ctx())]) {
        const error = await failure(call);
        expect(error).toMatchObject({
          code: GatewayErrorCode.RATE_LIMITED,
          provider: 'vllm',
          upstreamStatus: 429,
          retryable: true,
          retryAfterMs: 2000,
        });
      }
    });

    it("keeps the provider's message on a 400", async () => {
      const message = "Invalid value for 'temperature': must be at most 2.";
      fake.enqueue({ status: 400, errorMessage: message });
      const error = await failure(provider.chat(ask(), ctx()));
      expect(error).toMatchObject({
        code: GatewayErrorCode.BAD_REQUEST,
        upstreamStatus: 400,
        retryable: false,
      });
      expect(error.message).toBe(`Provider vllm answered 400: ${message}`);
    });

    it('maps a 400 of type context_length_exceeded to context_length_exceeded', async () => {
      fake.enqueue({
        status: 400,
        errorType: 'context_length_exceeded',
        errorMessage: 'Please reduce the length of the messages.',
      });
      const error = await failure(provider.chat(ask(), ctx()));
      expect(error.code).toBe(GatewayErrorCode.CONTEXT_LENGTH_EXCEEDED);
    });

    it('maps a 401 to auth without leaking the key', async () => {
      fake.enqueue({ status: 401, errorMessage: 'Incorrect API key provided' });
      const error = await failure(provider.chat(ask(), ctx()));
      expect(error).toMatchObject({
        code: GatewayErrorCode.AUTH,
        upstreamStatus: 401,
        retryable: false,
      });
      expect(error.message).not.toContain('sk-test-1');
    });

    it('maps a 503 to a retryable server_error', async () => {
      fake.enqueue({ status: 503 });
      const error = await failure(provider.chat(ask(), ctx()));
      expect(error).toMatchObject({
        code: GatewayErrorCode.SERVER_ERROR,
        upstreamStatus: 503,
        retryable: true,
      });
    });

    it('maps a connection reset to connection', async () => {
      fake.enqueue({ fault: 'reset' });
      const error = await failure(provider.chat(ask(), ctx()));
      expect(error).toMatchObject({
        code: GatewayErrorCode.CONNECTION,
        provider: 'vllm',
        retryable: true,
      });
    });

    it.each([
      ['chat', false],
      ['stream', true],
    ])('reports the GatewayError a hung %s call was aborted with', async (_what, stream) => {
      fake.enqueue({ fault: 'hang' });
      const controller = new AbortController();
      const reason = timeoutError('vllm', 5000);
      const timer = setTimeout(() => controller.abort(reason), 50);
      try {
        const call = stream
          ? provider.chatStream(ask(), ctx({ signal: controller.signal }))
          : provider.chat(ask(), ctx({ signal: controller.signal }));
        const error = await failure(call);
        expect(error).toBe(reason);
        expect(error).toMatchObject({ code: GatewayErrorCode.TIMEOUT, retryable: true });
      } finally {
        clearTimeout(timer);
      }
    });

    it('maps a malformed JSON body to server_error', async () => {
      fake.enqueue({ fault: 'malformed' });
      const error = await failure(provider.chat(ask(), ctx()));
      expect(error).toMatchObject({
        code: GatewayErrorCode.SERVER_ERROR,
        provider: 'vllm',
        upstreamStatus: 200,
      });
    });
  });

  describe(MistralProvider.name, () => {
    it('sends no stream_options and moves the usage of the finish chunk to a trailing chunk', async () => {
      fake.enqueue({ text: 'one two', usage: { prompt: 11, completion: 2 } });

      const chunks = await collect(
        await mistral.chatStream(ask({ stream_options: { include_usage: true } }), ctx()),
      );

      expect(fake.requests[0].format).toBe('mistral');
      expect(fake.requests[0].body).toEqual({ ...ask(), stream: true });
      expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('one two');
      const finish = chunks[chunks.length - 2];
      expect(finish.choices[0].finish_reason).toBe('stop');
      expect(finish.usage).toBeUndefined();
      expect(chunks.filter((c) => c.usage)).toHaveLength(1);
      const last = chunks[chunks.length - 1];
      expect(last).toEqual({
        id: finish.id,
        created: finish.created,
        model: 'fake-chat',
        object: 'chat.completion.chunk',
        choices: [],
        usage: expect.objectContaining({
          prompt_tokens: 11,
          completion_tokens: 2,
          total_tokens: 13,
        }),
      });
    });

    it('sends max_completion_tokens as max_tokens', async () => {
      await mistral.chat(ask({ max_completion_tokens: 64 }), ctx());
      expect(fake.requests[0].body).toEqual({ ...ask(), max_tokens: 64, stream: false });
    });

    it('keeps an explicit max_tokens over max_completion_tokens', async () => {
      await mistral.chat(ask({ max_tokens: 10, max_completion_tokens: 64 }), ctx());
      expect(fake.requests[0].body).toEqual({ ...ask(), max_tokens: 10, stream: false });
    });

    it("keeps Mistral's own error message", async () => {
      fake.enqueue({ status: 422, errorMessage: 'Input should be a valid string' });
      const error = await failure(mistral.chat(ask(), ctx()));
      expect(error).toMatchObject({
        code: GatewayErrorCode.BAD_REQUEST,
        provider: 'mistral',
        upstreamStatus: 422,
      });
      expect(error.message).toContain('Input should be a valid string');
    });
  });
});
