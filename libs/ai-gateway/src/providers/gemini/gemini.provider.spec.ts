import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { GeminiProvider } from './gemini.provider';
import { collect, context, hello, providerFor } from './gemini-provider.fixtures';

describe(GeminiProvider.name, () => {
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

  it('answers a chat completion and sends the mapped request with the chosen key', async () => {
    fake.enqueue({ text: 'Hi!', usage: { prompt: 12, completion: 3, cached: 4 } });
    const res = await provider.chat(
      {
        model: 'gemini-fake',
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'hello' },
        ],
        temperature: 0.2,
        top_p: 0.9,
        max_completion_tokens: 50,
        stop: 'END',
        user: 'u-1',
      },
      context({ apiKey: 'g-key-2' }),
    );
    expect(res).toMatchObject({
      object: 'chat.completion',
      model: 'gemini-fake',
      choices: [
        {
          index: 0,
          message: { role: 'assistant', content: 'Hi!', refusal: null },
          finish_reason: 'stop',
        },
      ],
      usage: {
        prompt_tokens: 12,
        completion_tokens: 3,
        total_tokens: 15,
        prompt_tokens_details: { cached_tokens: 4 },
      },
    });
    expect(res.id).toMatch(/^chatcmpl-/);
    const sent = fake.requests[0];
    expect(sent).toMatchObject({
      format: 'gemini',
      model: 'gemini-fake',
      apiKey: 'g-key-2',
      path: '/gemini/v1beta/models/gemini-fake:generateContent',
    });
    expect(sent.headers['x-team']).toBe('search');
    expect(sent.body).toMatchObject({
      systemInstruction: { role: 'system', parts: [{ text: 'Be brief.' }] },
      contents: [{ role: 'user', parts: [{ text: 'hello' }] }],
      generationConfig: {
        temperature: 0.2,
        topP: 0.9,
        maxOutputTokens: 50,
        stopSequences: ['END'],
      },
    });
  });

  it('returns a tool call with a generated id and sends declarations and the forced choice', async () => {
    fake.enqueue({ toolCalls: [{ name: 'get_weather', arguments: { city: 'Paris' } }] });
    const res = await provider.chat(
      {
        ...hello,
        tools: [
          {
            type: 'function',
            function: {
              name: 'get_weather',
              description: 'Weather now',
              parameters: {
                type: 'object',
                properties: { city: { type: 'string' } },
                required: ['city'],
              },
            },
          },
        ],
        tool_choice: { type: 'function', function: { name: 'get_weather' } },
      },
      context(),
    );
    const choice = res.choices[0];
    expect(choice.finish_reason).toBe('tool_calls');
    expect(choice.message.content).toBeNull();
    expect(choice.message.tool_calls).toEqual([
      {
        id: expect.stringMatching(/^call_[0-9a-f]{8}_0$/),
        type: 'function',
        function: { name: 'get_weather', arguments: '{"city":"Paris"}' },
      },
    ]);
    expect(fake.requests[0].body).toMatchObject({
      tools: [
        {
          functionDeclarations: [
            { name: 'get_weather', parameters: { type: 'object', required: ['city'] } },
          ],
        },
      ],
      toolConfig: { functionCallingConfig: { mode: 'ANY', allowedFunctionNames: ['get_weather'] } },
    });
  });

  it('sends tool history as functionCall and functionResponse parts named after the call', async () => {
    await provider.chat(
      {
        model: 'gemini-fake',
        messages: [
          { role: 'user', content: 'weather?' },
          {
            role: 'assistant',
            content: null,
            tool_calls: [
              {
                id: 'call_a',
                type: 'function',
                function: { name: 'get_weather', arguments: '{"city":"Oslo"}' },
              },
            ],
          },
          { role: 'tool', tool_call_id: 'call_a', content: '{"temp":3}' },
        ],
      },
      context(),
    );
    expect((fake.requests[0].body as { contents: unknown }).contents).toEqual([
      { role: 'user', parts: [{ text: 'weather?' }] },
      { role: 'model', parts: [{ functionCall: { name: 'get_weather', args: { city: 'Oslo' } } }] },
      {
        role: 'user',
        parts: [{ functionResponse: { name: 'get_weather', response: { temp: 3 } } }],
      },
    ]);
  });

  it('streams text as OpenAI chunks ending with a finish chunk and a usage chunk', async () => {
    fake.enqueue({ text: 'one two three', usage: { prompt: 5, completion: 3 } });
    const chunks = await collect(await provider.chatStream({ ...hello, stream: true }, context()));
    expect(chunks[0].choices[0].delta).toEqual({ role: 'assistant', content: '' });
    expect(chunks.map((c) => c.choices[0]?.delta.content ?? '').join('')).toBe('one two three');
    const finish = chunks.filter((c) => c.choices[0]?.finish_reason);
    expect(finish.map((c) => c.choices[0].finish_reason)).toEqual(['stop']);
    expect(chunks[chunks.length - 1]).toMatchObject({
      object: 'chat.completion.chunk',
      choices: [],
      usage: { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 },
    });
    expect(new Set(chunks.map((c) => c.id)).size).toBe(1);
    expect(fake.requests[0]).toMatchObject({
      stream: true,
      path: expect.stringContaining(':streamGenerateContent'),
    });
  });

  it('streams a tool call as a header delta and one arguments delta', async () => {
    fake.enqueue({
      toolCalls: [
        { name: 'lookup', arguments: { q: 'x' } },
        { name: 'save', arguments: { id: 2 } },
      ],
    });
    const chunks = await collect(await provider.chatStream({ ...hello, stream: true }, context()));
    const calls: Array<{ id?: string; name: string; arguments: string }> = [];
    for (const delta of chunks.flatMap((c) => c.choices[0]?.delta.tool_calls ?? [])) {
      calls[delta.index] ??= { name: '', arguments: '' };
      if (delta.id) calls[delta.index].id = delta.id;
      calls[delta.index].name += delta.function?.name ?? '';
      calls[delta.index].arguments += delta.function?.arguments ?? '';
    }
    expect(calls).toEqual([
      { id: expect.stringMatching(/_0$/), name: 'lookup', arguments: '{"q":"x"}' },
      { id: expect.stringMatching(/_1$/), name: 'save', arguments: '{"id":2}' },
    ]);
    expect(chunks.find((c) => c.choices[0]?.finish_reason)?.choices[0].finish_reason).toBe(
      'tool_calls',
    );
  });

  it('embeds a string as floats at the requested dimensions', async () => {
    const res = await provider.embed(
      { model: 'text-embedding-fake', input: 'alpha beta', dimensions: 16 },
      context(),
    );
    expect(res.object).toBe('list');
    expect(res.data).toHaveLength(1);
    expect(res.data[0].embedding).toHaveLength(16);
    expect(Math.hypot(...res.data[0].embedding)).toBeCloseTo(1, 5);
    expect(res.usage).toEqual({ prompt_tokens: 3, total_tokens: 3 });
    expect(fake.requests[0]).toMatchObject({
      operation: 'embeddings',
      path: expect.stringContaining(':embedContent'),
    });
  });

  it('embeds a batch as base64 little-endian float32 equal to the float vectors', async () => {
    const input = ['alpha', 'beta gamma'];
    const floats = await provider.embed({ model: 'text-embedding-fake', input }, context());
    const encoded = await provider.embed(
      { model: 'text-embedding-fake', input, encoding_format: 'base64' },
      context(),
    );
    expect(fake.requests[1].path).toContain(':batchEmbedContents');
    const decoded = encoded.data.map((d) => {
      const bytes = Buffer.from(d.embedding as unknown as string, 'base64');
      return Array.from({ length: bytes.length / 4 }, (_, i) => bytes.readFloatLE(i * 4));
    });
    expect(decoded).toHaveLength(2);
    decoded.forEach((vector, i) => {
      expect(vector).toHaveLength(64);
      vector.forEach((v, j) => expect(v).toBeCloseTo(floats.data[i].embedding[j], 6));
    });
  });
});
