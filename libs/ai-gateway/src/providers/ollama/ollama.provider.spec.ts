import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { FakeProviderServer, FakeScript } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { ProviderConfig } from '../../config/gateway-config.schema';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import type { ChatChunk, ChatRequest } from '../../types/unified';
import type { ProviderCallContext } from '../provider-adapter.interface';
import { OllamaProvider } from './ollama.provider';
import {
  collectChunks as collect,
  rejectionOf as failure,
} from '../../../test/adapter-spec.helpers';

function providerConfig(overrides: Partial<ProviderConfig>): ProviderConfig {
  return Object.assign(new ProviderConfig(), { name: 'local-ollama', kind: 'ollama' }, overrides);
}

function context(overrides: Partial<ProviderCallContext> = {}): ProviderCallContext {
  return {
    requestId: 'req-1',
    signal: new AbortController().signal,
    timeoutMs: 5_000,
    ...overrides,
  };
}

const request = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
  model: 'llama3',
  messages: [
    { role: 'system', content: 'be brief' },
    { role: 'user', content: 'hello there' },
  ],
  ...extra,
});

describe(OllamaProvider.name, () => {
  let fake: FakeProviderServer;
  let provider: OllamaProvider;

  beforeAll(async () => {
    fake = await startFakeProvider();
    provider = new OllamaProvider(
      providerConfig({
        baseUrl: `${fake.url}/ollama/`,
        apiKeys: ['proxy-key'],
        headers: { 'x-team': 'a' },
      }),
    );
  });
  afterAll(async () => {
    await provider.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('answers a chat with the completion shape, usage and the proxy key', async () => {
    fake.enqueue({ text: 'hi!', usage: { prompt: 11, completion: 2 } });
    const res = await provider.chat(request({ temperature: 0, max_tokens: 20 }), context());
    expect(res).toMatchObject({
      id: 'chatcmpl-req-1',
      object: 'chat.completion',
      model: 'llama3',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'hi!', refusal: null },
          finish_reason: 'stop',
        },
      ],
      usage: { prompt_tokens: 11, completion_tokens: 2, total_tokens: 13 },
    });
    const sent = fake.requests[0];
    expect(sent).toMatchObject({
      format: 'ollama',
      path: '/ollama/api/chat',
      stream: false,
      apiKey: 'proxy-key',
    });
    expect(sent.headers['x-team']).toBe('a');
    expect(sent.body).toMatchObject({
      stream: false,
      options: { temperature: 0, num_predict: 20 },
    });
  });

  it('returns a tool call with JSON-string arguments and finish reason tool_calls', async () => {
    fake.enqueue({ toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }] });
    const res = await provider.chat(request(), context());
    expect(res.choices[0].finish_reason).toBe('tool_calls');
    expect(res.choices[0].message.tool_calls).toEqual([
      { id: 'call_0', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } },
    ]);
  });

  it('streams text as OpenAI chunks with a finish chunk and a final usage chunk', async () => {
    fake.enqueue({ text: 'one two three', usage: { prompt: 7, completion: 3 } });
    const chunks = await collect(await provider.chatStream(request(), context()));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    const text = chunks.map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('one two three');
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('stop');
    expect(chunks.at(-1)).toMatchObject({
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    });
    expect(fake.requests[0].body).toMatchObject({ stream: true });
  });

  it('streams each tool call as one whole delta', async () => {
    fake.enqueue({
      toolCalls: [
        { name: 'a', arguments: { x: 1 } },
        { name: 'b', arguments: { y: 2 } },
      ],
    });
    const chunks = await collect(await provider.chatStream(request(), context()));
    const calls = chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? []);
    expect(calls).toEqual([
      { index: 0, id: 'call_0', type: 'function', function: { name: 'a', arguments: '{"x":1}' } },
      { index: 1, id: 'call_1', type: 'function', function: { name: 'b', arguments: '{"y":2}' } },
    ]);
    expect(chunks.at(-2)?.choices[0].finish_reason).toBe('tool_calls');
  });

  it('returns float embeddings and the same vectors as little-endian float32 base64', async () => {
    const input = ['red apple', 'green pear'];
    const floats = await provider.embed({ model: 'nomic', input, dimensions: 16 }, context());
    expect(floats.data.map((d) => d.embedding.length)).toEqual([16, 16]);
    expect(floats.usage).toEqual({ prompt_tokens: 6, total_tokens: 6 });
    expect(fake.requests[0].body).toEqual({ model: 'nomic', input, dimensions: 16 });

    const encoded = await provider.embed(
      { model: 'nomic', input, dimensions: 16, encoding_format: 'base64' },
      context(),
    );
    const bytes = Buffer.from(encoded.data[1].embedding as unknown as string, 'base64');
    const decoded = Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    decoded.forEach((value, i) => expect(value).toBeCloseTo(floats.data[1].embedding[i], 6));
  });

  it.each<[string, FakeScript, GatewayErrorCode]>([
    ['500', { status: 500, errorMessage: 'runner crashed' }, GatewayErrorCode.SERVER_ERROR],
    ['429', { status: 429, retryAfter: '3' }, GatewayErrorCode.RATE_LIMITED],
    [
      '404',
      { status: 404, errorMessage: 'model "llama9" not found, try pulling it first' },
      GatewayErrorCode.BAD_REQUEST,
    ],
  ])(
    "maps an HTTP %s to its gateway code, keeping Ollama's message",
    async (status, script, code) => {
      fake.enqueue(script);
      const error = await failure(() => provider.chat(request(), context()));
      expect(error).toMatchObject({
        code,
        provider: 'local-ollama',
        upstreamStatus: Number(status),
      });
      if (script.errorMessage) expect(error.message).toContain(script.errorMessage);
      if (script.retryAfter) expect(error.retryAfterMs).toBe(3_000);
    },
  );

  it('rejects chatStream itself when the status is an error', async () => {
    fake.enqueue({ status: 503 });
    const error = await failure(() => provider.chatStream(request(), context()));
    expect(error).toMatchObject({
      code: GatewayErrorCode.SERVER_ERROR,
      upstreamStatus: 503,
      retryable: true,
    });
  });

  it('reports a reset socket and a refused connection as connection errors', async () => {
    fake.enqueue({ fault: 'reset' });
    expect(await failure(() => provider.chat(request(), context()))).toMatchObject({
      code: GatewayErrorCode.CONNECTION,
    });

    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const nowhere = new OllamaProvider(providerConfig({ baseUrl: `http://127.0.0.1:${port}` }));
    const refused = await failure(() => nowhere.chat(request(), context()));
    await nowhere.close();
    expect(refused).toMatchObject({ code: GatewayErrorCode.CONNECTION, retryable: true });
    expect((refused.cause as { code?: string }).code).toBe('ECONNREFUSED');
  });

  it('times out on the attempt deadline and on the caller signal', async () => {
    fake.enqueue({ fault: 'hang' });
    const started = Date.now();
    const late = await failure(() => provider.chat(request(), context({ timeoutMs: 150 })));
    expect(late).toMatchObject({ code: GatewayErrorCode.TIMEOUT, retryable: true });
    expect(Date.now() - started).toBeLessThan(2_000);

    fake.enqueue({ latencyMs: 5_000 });
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 50);
    const aborted = await failure(() =>
      provider.chatStream(request(), context({ signal: caller.signal })),
    );
    expect(aborted.code).toBe(GatewayErrorCode.TIMEOUT);
  });

  it('times a stream only up to its first line: slower lines after it still arrive', async () => {
    fake.enqueue({ text: 'a b', chunkDelayMs: 300 });
    const stream = await provider.chatStream(request(), context({ timeoutMs: 150 }));
    const seen = await collect(stream);
    expect(seen.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('a b');
  });

  it('sends the opening chunk with the first line, so a silent model fails the first-token wait', async () => {
    fake.enqueue({ text: 'a b', ttftMs: 5_000 });
    const seen: ChatChunk[] = [];
    const stream = await provider.chatStream(request(), context({ timeoutMs: 300 }));
    const error = await failure(() => collect(stream, seen));
    expect(error).toMatchObject({ code: GatewayErrorCode.TIMEOUT, provider: 'local-ollama' });
    expect(seen).toHaveLength(0);
  });

  it("ends a stream mid-way with the gateway's own abort reason", async () => {
    fake.enqueue({ text: 'a b c', chunkDelayMs: 5_000 });
    const caller = new AbortController();
    const reason = new GatewayError(GatewayErrorCode.TIMEOUT, 'idle for 300 ms (idle timeout)');
    const seen: ChatChunk[] = [];
    const stream = await provider.chatStream(request(), context({ signal: caller.signal }));
    const error = await failure(async () => {
      for await (const chunk of stream) {
        seen.push(chunk);
        if (seen.length === 2) setTimeout(() => caller.abort(reason), 50);
      }
    });
    expect(error).toBe(reason);
    expect(seen.map((c) => c.choices[0]?.delta.content)).toEqual(['', 'a ']);
  });

  it.each<[string, FakeScript, GatewayErrorCode]>([
    [
      'an {error} line',
      { text: 'a b c', fault: 'error-event', faultAfterChunks: 2 },
      GatewayErrorCode.SERVER_ERROR,
    ],
    [
      'a cut connection',
      { text: 'a b c', fault: 'disconnect', faultAfterChunks: 2 },
      GatewayErrorCode.CONNECTION,
    ],
    [
      'a broken JSON line',
      { text: 'a b c', fault: 'malformed', faultAfterChunks: 2 },
      GatewayErrorCode.SERVER_ERROR,
    ],
  ])(
    'throws from the iterator on %s mid-stream, after the chunks before it',
    async (_case, script, code) => {
      fake.enqueue(script);
      const seen: ChatChunk[] = [];
      const error = await failure(async () =>
        collect(await provider.chatStream(request(), context()), seen),
      );
      expect(error).toMatchObject({ code, provider: 'local-ollama' });
      expect(seen.map((c) => c.choices[0]?.delta.content).join('')).toBe('a b ');
      expect(seen.some((c) => c.usage)).toBe(false);
    },
  );

  it('reports a non-streamed body cut mid-way as a connection error', async () => {
    fake.enqueue({ fault: 'disconnect' });
    expect(await failure(() => provider.chat(request(), context()))).toMatchObject({
      code: GatewayErrorCode.CONNECTION,
    });
    fake.enqueue({ fault: 'malformed' });
    expect(await failure(() => provider.chat(request(), context()))).toMatchObject({
      code: GatewayErrorCode.SERVER_ERROR,
    });
  });

  describe('with a single pooled connection', () => {
    let single: OllamaProvider;

    beforeEach(() => {
      single = new OllamaProvider(
        providerConfig({ baseUrl: `${fake.url}/ollama`, maxConnections: 1 }),
      );
    });
    afterEach(() => single.close());

    // The stream would hold the only connection for seconds; the next call has 1 s.
    const nextCallSucceeds = async (): Promise<void> => {
      const next = await single.chat(request(), context({ timeoutMs: 1_000 }));
      expect(next.choices[0].message.content).toBe('hello there');
    };

    it('frees the connection when the consumer breaks out mid-stream', async () => {
      fake.enqueue({ text: 'a b c d e f', chunkDelayMs: 2_000 });
      const seen: string[] = [];
      for await (const chunk of await single.chatStream(request(), context())) {
        seen.push(chunk.choices[0]?.delta.content ?? '');
        if (seen.length === 2) break;
      }
      expect(seen).toEqual(['', 'a ']);
      await nextCallSucceeds();
    });

    it('frees the connection when the consumer returns before reading', async () => {
      fake.enqueue({ text: 'x y z', chunkDelayMs: 2_000 });
      const unread = await single.chatStream(request(), context());
      await unread[Symbol.asyncIterator]().return?.();
      await nextCallSucceeds();
    });
  });

  it('refuses a field it cannot carry before calling Ollama', async () => {
    const error = await failure(() => provider.chat(request({ n: 3 }), context()));
    expect(error).toMatchObject({ code: GatewayErrorCode.UNSUPPORTED_FEATURE, param: 'n' });
    const streamError = await failure(() =>
      provider.chatStream(request({ tool_choice: 'required' }), context()),
    );
    expect(streamError).toMatchObject({
      code: GatewayErrorCode.UNSUPPORTED_FEATURE,
      param: 'tool_choice',
    });
    expect(fake.requests).toHaveLength(0);
  });
});
