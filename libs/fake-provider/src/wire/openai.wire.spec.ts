import OpenAI from 'openai';
import type { FakeProviderServer } from '../fake-provider.server';
import { startFakeProvider } from '../fake-provider.server';

describe('openAiWire', () => {
  let fake: FakeProviderServer;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeProvider();
    client = new OpenAI({ baseURL: `${fake.url}/v1`, apiKey: 'sk-fake', maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('echoes the last user message with usage in a completion', async () => {
    const res = await client.chat.completions.create({
      model: 'echo',
      messages: [{ role: 'user', content: 'hello there' }],
    });
    expect(res.choices[0].message.content).toBe('hello there');
    expect(res.choices[0].finish_reason).toBe('stop');
    expect(res.usage).toMatchObject({ prompt_tokens: 3, completion_tokens: 3, total_tokens: 6 });
    expect(fake.requests[0]).toMatchObject({
      format: 'openai',
      operation: 'chat',
      model: 'echo',
      apiKey: 'sk-fake',
    });
  });

  it('streams text and a tool call that the SDK assembles, with usage last', async () => {
    fake.enqueue({
      text: 'one two three',
      toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }],
      usage: { prompt: 7, completion: 9 },
    });
    const stream = client.chat.completions.stream({
      model: 'fake-chat',
      messages: [{ role: 'user', content: 'hi' }],
      stream_options: { include_usage: true },
    });
    const final = await stream.finalChatCompletion();
    expect(final.choices[0].message.content).toBe('one two three');
    expect(final.choices[0].message.tool_calls?.[0]).toMatchObject({
      function: { name: 'lookup', arguments: '{"q":"x"}' },
    });
    expect(final.usage).toMatchObject({ prompt_tokens: 7, completion_tokens: 9 });
  });

  it('answers a scripted status with Retry-After in the OpenAI error shape', async () => {
    fake.enqueue({ status: 429, retryAfter: '2', errorMessage: 'slow down' });
    const error = (await client.chat.completions
      .create({ model: 'x', messages: [{ role: 'user', content: 'a' }] })
      .catch((e: unknown) => e)) as InstanceType<typeof OpenAI.APIError>;
    expect(error).toBeInstanceOf(OpenAI.RateLimitError);
    expect(error.status).toBe(429);
    expect(error.headers?.get('retry-after')).toBe('2');
    expect(error.message).toContain('slow down');
  });

  it('returns base64 or float embeddings of the requested size', async () => {
    const res = await client.embeddings.create({
      model: 'text-embedding-fake',
      input: ['a b', 'c'],
      dimensions: 8,
    });
    expect(res.data).toHaveLength(2);
    expect(res.data[0].embedding).toHaveLength(8);
    const norm = Math.hypot(...res.data[0].embedding);
    expect(norm).toBeCloseTo(1, 5);
  });

  it('cuts a stream mid-way when scripted to disconnect', async () => {
    fake.enqueue({ text: 'a b c d e', fault: 'disconnect', faultAfterChunks: 2 });
    const stream = await client.chat.completions.create({
      model: 'x',
      stream: true,
      messages: [{ role: 'user', content: 'a' }],
    });
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of stream) seen.push(chunk.choices[0]?.delta.content ?? '');
      })(),
    ).rejects.toThrow();
    expect(seen.length).toBe(2);
  });
});
