import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import OpenAI from 'openai';
import type { TestGateway } from './harness';
import { providersFor, startGateway } from './harness';

/**
 * Must-show 1: the official `openai` client, given only a base URL and a key, completes
 * chats (plain, streamed, streamed tool call), embeddings and a model list through the
 * gateway for every provider kind, each backed by the fake provider's wire format.
 */
describe('gateway-api with each provider kind (official openai client)', () => {
  let fake: FakeProviderServer;
  let gateway: TestGateway;

  beforeAll(async () => {
    fake = await startFakeProvider();
    const providers = providersFor(fake);
    for (const entry of Object.values(providers)) entry.models = ['chat-model', 'embed-model'];
    gateway = await startGateway({ providers });
  });
  afterAll(async () => {
    await gateway.close();
    await fake.close();
  });
  beforeEach(() => fake.reset());

  const KINDS = [
    ['openai', 'openai'],
    ['mistral', 'mistral'],
    ['vllm', 'openai'],
    ['anthropic', 'anthropic'],
    ['gemini', 'gemini'],
    ['ollama', 'ollama'],
  ] as const;

  describe.each(KINDS)('%s', (provider, wire) => {
    const model = `${provider}/chat-model`;

    it('completes a chat and reports provider, model and usage', async () => {
      fake.enqueue({ text: `hello from ${provider}`, usage: { prompt: 11, completion: 4 } });
      const { data, response } = await gateway.client.chat.completions
        .create({
          model,
          messages: [
            { role: 'system', content: 'Be brief.' },
            { role: 'user', content: 'Say hello' },
          ],
        })
        .withResponse();
      expect(data.choices[0].message).toMatchObject({
        role: 'assistant',
        content: `hello from ${provider}`,
      });
      expect(data.choices[0].finish_reason).toBe('stop');
      expect(data.usage).toMatchObject({
        prompt_tokens: 11,
        completion_tokens: 4,
        total_tokens: 15,
      });
      expect(response.headers.get('x-gateway-provider')).toBe(provider);
      expect(response.headers.get('x-gateway-model')).toBe('chat-model');
      expect(response.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
      expect(fake.requests[0]).toMatchObject({
        format: wire,
        operation: 'chat',
        model: 'chat-model',
      });
    });

    it('streams text chunks that the client joins, with usage when asked', async () => {
      fake.enqueue({ text: 'one two three four', usage: { prompt: 6, completion: 4 } });
      const stream = await gateway.client.chat.completions.create({
        model,
        stream: true,
        stream_options: { include_usage: true },
        messages: [{ role: 'user', content: 'count' }],
      });
      let text = '';
      let usage: OpenAI.CompletionUsage | undefined | null;
      let finish: string | null = null;
      for await (const chunk of stream) {
        text += chunk.choices[0]?.delta.content ?? '';
        finish = chunk.choices[0]?.finish_reason ?? finish;
        if (chunk.usage) usage = chunk.usage;
      }
      expect(text).toBe('one two three four');
      expect(finish).toBe('stop');
      expect(usage).toMatchObject({ prompt_tokens: 6, completion_tokens: 4 });
      expect(fake.requests[0]).toMatchObject({ format: wire, stream: true });
    });

    it('streams a tool call that the client assembles from deltas', async () => {
      fake.enqueue({
        toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris', unit: 'celsius' } }],
      });
      const runner = gateway.client.chat.completions.stream({
        model,
        messages: [{ role: 'user', content: 'Weather in Paris?' }],
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Current weather',
              parameters: {
                type: 'object',
                properties: { city: { type: 'string' }, unit: { type: 'string' } },
                required: ['city'],
              },
            },
          },
        ],
      });
      const final = await runner.finalChatCompletion();
      const call = final.choices[0].message.tool_calls?.[0];
      expect(final.choices[0].finish_reason).toBe('tool_calls');
      expect(call?.type).toBe('function');
      expect(call?.type === 'function' && call.function.name).toBe('get_weather');
      expect(call?.type === 'function' && JSON.parse(call.function.arguments)).toEqual({
        city: 'Paris',
        unit: 'celsius',
      });
      expect(call?.id).toEqual(expect.any(String));
    });

    if (provider === 'anthropic') {
      it('refuses embeddings loudly: Anthropic has no embeddings API', async () => {
        const error = await gateway.client.embeddings
          .create({ model: `${provider}/embed-model`, input: 'x' })
          .catch((e: unknown) => e);
        expect(error).toBeInstanceOf(OpenAI.BadRequestError);
        expect((error as InstanceType<typeof OpenAI.BadRequestError>).code).toBe(
          'unsupported_feature',
        );
      });
    } else {
      it('embeds a batch (the client asks for base64 and decodes it)', async () => {
        const res = await gateway.client.embeddings.create({
          model: `${provider}/embed-model`,
          input: ['first text', 'second text'],
        });
        expect(res.data.map((d) => d.index)).toEqual([0, 1]);
        expect(res.data[0].embedding.length).toBeGreaterThan(0);
        expect(Math.hypot(...res.data[0].embedding)).toBeCloseTo(1, 3);
        expect(res.data[0].embedding).not.toEqual(res.data[1].embedding);
      });
    }
  });

  it('lists every configured provider/model', async () => {
    const page = await gateway.client.models.list();
    const ids = page.data.map((m) => m.id);
    for (const [provider] of KINDS)
      expect(ids).toEqual(
        expect.arrayContaining([`${provider}/chat-model`, `${provider}/embed-model`]),
      );
    expect(page.data.find((m) => m.id === 'anthropic/chat-model')?.owned_by).toBe('anthropic');
  });
});
