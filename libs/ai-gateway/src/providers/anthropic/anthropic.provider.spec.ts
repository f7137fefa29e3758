import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { ProviderConfig } from '../../config/gateway-config.schema';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { timeoutError } from '../../errors/http-status-error.mapper';
import type { ChatChunk, ChatRequest } from '../../types/unified';
import type { ProviderCallContext } from '../provider-adapter.interface';
import { AnthropicProvider } from './anthropic.provider';
import {
  collectChunks as collect,
  rejectionOf as failure,
} from '../../../test/adapter-spec.helpers';

describe(AnthropicProvider.name, () => {
  let fake: FakeProviderServer;
  let provider: AnthropicProvider;

  const config = (extra: Partial<ProviderConfig> = {}): ProviderConfig =>
    Object.assign(new ProviderConfig(), {
      name: 'claude',
      kind: 'anthropic',
      baseUrl: `${fake.url}/anthropic`,
      apiKeys: ['sk-ant-1'],
      headers: { 'x-team': 'core' },
      ...extra,
    });
  const ctx = (extra: Partial<ProviderCallContext> = {}): ProviderCallContext => ({
    requestId: 'req-1',
    signal: new AbortController().signal,
    timeoutMs: 5_000,
    apiKey: 'sk-ant-1',
    ...extra,
  });
  const ask = (extra: Partial<ChatRequest> = {}): ChatRequest => ({
    model: 'claude-fake',
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hello there' },
    ],
    ...extra,
  });
  const tools: ChatRequest['tools'] = [
    {
      type: 'function',
      function: {
        name: 'lookup',
        parameters: { type: 'object', properties: { q: { type: 'string' } } },
      },
    },
  ];

  beforeAll(async () => {
    fake = await startFakeProvider();
    provider = new AnthropicProvider(config());
  });
  afterAll(async () => {
    await provider.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  it('answers a chat with text, usage and the request translated on the wire', async () => {
    const res = await provider.chat(ask(), ctx());
    expect(res).toMatchObject({ object: 'chat.completion', model: 'claude-fake' });
    expect(res.id).toMatch(/^msg_fake_/);
    expect(res.choices[0]).toMatchObject({
      message: { role: 'assistant', content: 'hello there', refusal: null },
      finish_reason: 'stop',
    });
    expect(res.usage).toEqual({
      prompt_tokens: 5,
      completion_tokens: 3,
      total_tokens: 8,
      prompt_tokens_details: { cached_tokens: 0 },
    });
    const sent = fake.requests[0];
    expect(sent).toMatchObject({
      format: 'anthropic',
      apiKey: 'sk-ant-1',
      stream: false,
      path: '/anthropic/v1/messages',
    });
    expect(sent.headers['x-team']).toBe('core');
    expect(sent.body).toEqual({
      model: 'claude-fake',
      max_tokens: 4096,
      system: [{ type: 'text', text: 'be brief' }],
      messages: [{ role: 'user', content: [{ type: 'text', text: 'hello there' }] }],
      stream: false,
    });
  });

  it('returns tool calls with JSON arguments and cached prompt tokens', async () => {
    fake.enqueue({
      toolCalls: [{ name: 'lookup', arguments: { q: 'x' }, id: 'toolu_9' }],
      usage: { prompt: 40, completion: 6, cached: 25 },
    });
    const res = await provider.chat(ask({ tools, tool_choice: 'required' }), ctx());
    expect(res.choices[0].message.tool_calls).toEqual([
      { id: 'toolu_9', type: 'function', function: { name: 'lookup', arguments: '{"q":"x"}' } },
    ]);
    expect(res.choices[0].message.content).toBeNull();
    expect(res.choices[0].finish_reason).toBe('tool_calls');
    expect(res.usage).toEqual({
      prompt_tokens: 40,
      completion_tokens: 6,
      total_tokens: 46,
      prompt_tokens_details: { cached_tokens: 25 },
    });
    expect(fake.requests[0].body).toMatchObject({
      tool_choice: { type: 'any' },
      tools: [{ name: 'lookup', input_schema: { type: 'object' } }],
    });
  });

  it('uses one client per API key', async () => {
    await provider.chat(ask(), ctx({ apiKey: 'sk-ant-2' }));
    await provider.chat(ask(), ctx({ apiKey: undefined }));
    expect(fake.requests.map((r) => r.apiKey)).toEqual(['sk-ant-2', 'sk-ant-1']);
  });

  it('streams text as OpenAI chunks: role first, finish reason, usage last', async () => {
    fake.enqueue({ text: 'one two three', usage: { prompt: 7, completion: 3 } });
    const chunks = await collect(await provider.chatStream(ask(), ctx()));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('one two three');
    expect(chunks[chunks.length - 2].choices[0].finish_reason).toBe('stop');
    expect(chunks[chunks.length - 1]).toMatchObject({
      object: 'chat.completion.chunk',
      choices: [],
      usage: { prompt_tokens: 7, completion_tokens: 3, total_tokens: 10 },
    });
    expect(fake.requests[0].stream).toBe(true);
  });

  it('streams tool calls that assemble by index', async () => {
    fake.enqueue({
      text: 'Let me check.',
      toolCalls: [
        { name: 'lookup', arguments: { q: 'x' } },
        { name: 'lookup', arguments: { q: 'y' } },
      ],
    });
    const chunks = await collect(await provider.chatStream(ask({ tools }), ctx()));
    const calls: Array<{ id?: string; name?: string; arguments: string }> = [];
    for (const call of chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])) {
      calls[call.index] ??= { arguments: '' };
      if (call.id) calls[call.index].id = call.id;
      if (call.function?.name) calls[call.index].name = call.function.name;
      calls[call.index].arguments += call.function?.arguments ?? '';
    }
    expect(calls).toEqual([
      { id: 'toolu_fake_0', name: 'lookup', arguments: '{"q":"x"}' },
      { id: 'toolu_fake_1', name: 'lookup', arguments: '{"q":"y"}' },
    ]);
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe(
      'tool_calls',
    );
  });

  it('maps a 429 with Retry-After to rate_limited with retryAfterMs, also before a stream opens', async () => {
    fake.enqueue(
      {
        status: 429,
        retryAfter: '2',
        errorMessage: 'Number of request tokens has exceeded your rate limit',
      },
      2,
    );
    for (const call of [provider.chat(ask(), ctx()), provider.chatStream(ask(), ctx())]) {
      const error = await failure(call);
      expect(error).toMatchObject({
        code: GatewayErrorCode.RATE_LIMITED,
        provider: 'claude',
        upstreamStatus: 429,
        retryable: true,
        retryAfterMs: 2000,
      });
    }
  });

  it.each([
    [529, 'Overloaded', GatewayErrorCode.SERVER_ERROR, true],
    [400, 'messages.0.content: Input should be a valid list', GatewayErrorCode.BAD_REQUEST, false],
    [
      400,
      'prompt is too long: 210000 tokens > 200000 maximum',
      GatewayErrorCode.CONTEXT_LENGTH_EXCEEDED,
      false,
    ],
    [401, 'invalid x-api-key', GatewayErrorCode.AUTH, false],
  ])(
    'maps a %i "%s" to %s carrying the provider message',
    async (status, message, code, retryable) => {
      fake.enqueue({ status, errorMessage: message });
      const error = await failure(provider.chat(ask(), ctx()));
      expect(error).toMatchObject({ code, upstreamStatus: status, retryable, provider: 'claude' });
      expect(error.message).toContain(message);
      expect(error.message).not.toContain('sk-ant-1');
    },
  );

  it('maps a connection reset to connection', async () => {
    fake.enqueue({ fault: 'reset' });
    const error = await failure(provider.chat(ask(), ctx()));
    expect(error).toMatchObject({
      code: GatewayErrorCode.CONNECTION,
      provider: 'claude',
      retryable: true,
    });
  });

  it('maps a provider slower than the attempt timeout to timeout', async () => {
    const slow = new AnthropicProvider(config({ timeoutMs: 100 }));
    fake.enqueue({ latencyMs: 2_000 });
    try {
      const error = await failure(slow.chat(ask(), ctx({ timeoutMs: 100 })));
      expect(error).toMatchObject({
        code: GatewayErrorCode.TIMEOUT,
        provider: 'claude',
        retryable: true,
      });
      expect(error.message).toContain('100 ms');
    } finally {
      await slow.close();
    }
  });

  it('throws an error event from the iterator after the first chunks', async () => {
    fake.enqueue({ text: 'a b c d', fault: 'error-event', faultAfterChunks: 2 });
    const chunks: ChatChunk[] = [];
    const error = await failure(collect(await provider.chatStream(ask(), ctx()), chunks));
    expect(chunks.map((c) => c.choices[0]?.delta.content)).toEqual(['', 'a ']);
    expect(error).toMatchObject({ code: GatewayErrorCode.SERVER_ERROR, retryable: true });
    expect(error.message).toContain('Overloaded');
  });

  it('throws stream_interrupted when the connection is cut mid-stream', async () => {
    fake.enqueue({ text: 'a b c d', fault: 'disconnect', faultAfterChunks: 2 });
    const chunks: ChatChunk[] = [];
    const error = await failure(collect(await provider.chatStream(ask(), ctx()), chunks));
    expect(chunks).toHaveLength(2);
    expect(error).toMatchObject({ code: GatewayErrorCode.STREAM_INTERRUPTED, retryable: true });
  });

  it.each([
    ['the caller goes away', undefined, GatewayErrorCode.CANCELLED, false],
    // The executor aborts with the GatewayError it wants reported.
    ['the deadline passes', timeoutError('claude', 5_000), GatewayErrorCode.TIMEOUT, true],
  ])(
    'throws instead of ending cleanly when %s mid-stream',
    async (_why, reason, code, retryable) => {
      fake.enqueue({ text: 'a b c d', chunkDelayMs: 10_000 });
      const controller = new AbortController();
      const chunks: ChatChunk[] = [];
      const error = await failure(
        (async () => {
          for await (const chunk of await provider.chatStream(
            ask(),
            ctx({ signal: controller.signal }),
          )) {
            chunks.push(chunk);
            controller.abort(reason);
          }
        })(),
      );
      expect(error).toMatchObject({ code, retryable });
      expect(chunks).toHaveLength(1);
    },
  );

  it('releases the connection when the consumer stops early', async () => {
    // One pooled connection: if breaking off did not free it, the next call would wait for the stream.
    const single = new AnthropicProvider(config({ maxConnections: 1 }));
    try {
      fake.enqueue({ text: 'a b c d e f', chunkDelayMs: 10_000 });
      for await (const chunk of await single.chatStream(ask(), ctx())) {
        expect(chunk.choices[0].delta.role).toBe('assistant');
        break;
      }
      const res = await single.chat(ask(), ctx());
      expect(res.choices[0].message.content).toBe('hello there');
    } finally {
      await single.close();
    }
  });

  it.each([
    ['a malformed body', false],
    ['a malformed stream event', true],
  ])('maps %s to server_error', async (_what, stream) => {
    fake.enqueue({ text: 'a b', fault: 'malformed', faultAfterChunks: 1 });
    const call = stream
      ? provider.chatStream(ask(), ctx()).then((s) => collect(s))
      : provider.chat(ask(), ctx());
    const error = await failure(call);
    expect(error).toMatchObject({ code: GatewayErrorCode.SERVER_ERROR, provider: 'claude' });
  });

  it('rejects an unsupported field before calling the provider', async () => {
    const error = await failure(provider.chatStream(ask({ logit_bias: { '50256': -100 } }), ctx()));
    expect(error).toMatchObject({
      code: GatewayErrorCode.UNSUPPORTED_FEATURE,
      param: 'logit_bias',
      provider: 'claude',
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('reports embeddings as unsupported', async () => {
    const error = await failure(provider.embed({ model: 'claude-fake', input: 'x' }, ctx()));
    expect(error.code).toBe(GatewayErrorCode.UNSUPPORTED_FEATURE);
  });
});
