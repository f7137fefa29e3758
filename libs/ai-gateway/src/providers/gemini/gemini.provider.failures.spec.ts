import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import type { ChatChunk } from '../../types/unified';
import { GeminiProvider } from './gemini.provider';
import { collect, context, failure, hello, providerFor } from './gemini-provider.fixtures';

describe(`${GeminiProvider.name} failures`, () => {
  let fake: FakeProviderServer;
  let provider: GeminiProvider;

  beforeAll(async () => {
    fake = await startFakeProvider();
    provider = providerFor(fake);
  });
  afterAll(async () => {
    await provider.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('maps a 429 to rate_limited with the RetryInfo delay', async () => {
    fake.enqueue({ status: 429, retryAfter: '2', errorMessage: 'Resource has been exhausted' });
    const error = await failure(provider.chat(hello, context()));
    expect(error).toMatchObject({
      code: GatewayErrorCode.RATE_LIMITED,
      upstreamStatus: 429,
      retryAfterMs: 2000,
      retryable: true,
    });
    expect(error.message).toContain('Resource has been exhausted');
    expect(error.message).not.toContain('g-key');
  });

  it('maps a 503 to a retryable server_error, before the stream opens', async () => {
    fake.enqueue({ status: 503, errorMessage: 'The model is overloaded.' });
    const error = await failure(provider.chatStream({ ...hello, stream: true }, context()));
    expect(error).toMatchObject({
      code: GatewayErrorCode.SERVER_ERROR,
      upstreamStatus: 503,
      retryable: true,
    });
  });

  it('maps a 400 to bad_request carrying the provider message', async () => {
    fake.enqueue({
      status: 400,
      errorMessage: '* GenerateContentRequest.contents: contents is not specified',
    });
    const error = await failure(provider.chat(hello, context()));
    expect(error).toMatchObject({
      code: GatewayErrorCode.BAD_REQUEST,
      upstreamStatus: 400,
      retryable: false,
    });
    expect(error.message).toBe(
      'Provider gemini-test answered 400: * GenerateContentRequest.contents: contents is not specified',
    );
  });

  it('maps a reset connection to connection', async () => {
    fake.enqueue({ fault: 'reset' });
    const error = await failure(provider.chat(hello, context()));
    expect(error).toMatchObject({
      code: GatewayErrorCode.CONNECTION,
      provider: 'gemini-test',
      retryable: true,
    });
  });

  it('gives up at the attempt deadline with timeout', async () => {
    fake.enqueue({ latencyMs: 2_000 });
    const started = Date.now();
    const error = await failure(provider.chat(hello, context({ timeoutMs: 100 })));
    expect(error).toMatchObject({ code: GatewayErrorCode.TIMEOUT, retryable: true });
    expect(Date.now() - started).toBeLessThan(1_500);
  });

  it('times a stream only up to its first response: slower chunks after it still arrive', async () => {
    fake.enqueue({ text: 'a b', chunkDelayMs: 300 });
    const stream = await provider.chatStream(
      { ...hello, stream: true },
      context({ timeoutMs: 150 }),
    );
    const text = (await collect(stream)).map((c) => c.choices[0]?.delta.content ?? '').join('');
    expect(text).toBe('a b');
  });

  it('reports a caller abort as a non-retryable cancellation', async () => {
    fake.enqueue({ latencyMs: 2_000 });
    const caller = new AbortController();
    setTimeout(() => caller.abort(), 50);
    const error = await failure(provider.chat(hello, context({ signal: caller.signal })));
    expect(error).toMatchObject({ code: GatewayErrorCode.TIMEOUT, retryable: false });
  });

  it('throws an error event received mid-stream from the iterator', async () => {
    fake.enqueue({ text: 'a b c d', fault: 'error-event', faultAfterChunks: 2 });
    const seen: ChatChunk[] = [];
    const stream = await provider.chatStream({ ...hello, stream: true }, context());
    const error = await failure(
      (async () => {
        for await (const chunk of stream) seen.push(chunk);
      })(),
    );
    expect(error).toMatchObject({ code: GatewayErrorCode.SERVER_ERROR, upstreamStatus: 500 });
    expect(seen.map((c) => c.choices[0]?.delta.content).join('')).toBe('a b ');
  });

  it('throws connection from the iterator when the stream is cut', async () => {
    fake.enqueue({ text: 'a b c d', fault: 'disconnect', faultAfterChunks: 1 });
    const stream = await provider.chatStream({ ...hello, stream: true }, context());
    const error = await failure(collect(stream));
    expect(error.code).toBe(GatewayErrorCode.CONNECTION);
  });

  it('maps a malformed body or stream line to server_error', async () => {
    fake.enqueue({ fault: 'malformed' }, 2);
    expect((await failure(provider.chat(hello, context()))).code).toBe(
      GatewayErrorCode.SERVER_ERROR,
    );
    const stream = await provider.chatStream({ ...hello, stream: true }, context());
    expect((await failure(collect(stream))).code).toBe(GatewayErrorCode.SERVER_ERROR);
  });

  it('maps a blocked prompt to content_filtered', async () => {
    fake.enqueue({ text: '', finishReason: 'content_filter' }, 2);
    expect((await failure(provider.chat(hello, context()))).code).toBe(
      GatewayErrorCode.CONTENT_FILTERED,
    );
    const stream = await provider.chatStream({ ...hello, stream: true }, context());
    expect((await failure(collect(stream))).code).toBe(GatewayErrorCode.CONTENT_FILTERED);
  });

  it('refuses a field it cannot carry before calling Gemini', async () => {
    const error = await failure(
      provider.chat({ ...hello, logit_bias: { '50256': -100 } }, context()),
    );
    expect(error).toMatchObject({
      code: GatewayErrorCode.UNSUPPORTED_FEATURE,
      param: 'logit_bias',
      provider: 'gemini-test',
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('releases the connection when the consumer stops early', async () => {
    const own = await startFakeProvider();
    const adapter = providerFor(own);
    try {
      own.enqueue({ text: 'a b c d e f', chunkDelayMs: 200 });
      const stream = await adapter.chatStream({ ...hello, stream: true }, context());
      // The fake's open sockets (private: the fake exposes no connection state). Node's
      // fetch may open a spare idle connection after an abort, so only the stream's
      // own socket is watched.
      const sockets = (own as unknown as { sockets: Set<object> }).sockets;
      const streaming = [...sockets];
      expect(streaming).toHaveLength(1);
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta.content) break;
      }
      // It must close well before the remaining chunks (1 s) would have been sent.
      const deadline = Date.now() + 500;
      while (sockets.has(streaming[0]) && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 10));
      expect(sockets.has(streaming[0])).toBe(false);
    } finally {
      await adapter.close();
      await own.close();
    }
  });
});
