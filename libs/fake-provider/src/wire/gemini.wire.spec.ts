import type { GenerativeModel } from '@google/generative-ai';
import { GoogleGenerativeAI, GoogleGenerativeAIFetchError } from '@google/generative-ai';
import type { FakeProviderServer } from '../fake-provider.server';
import { startFakeProvider } from '../fake-provider.server';

describe('geminiWire', () => {
  let fake: FakeProviderServer;
  let model: GenerativeModel;
  const ask = { contents: [{ role: 'user', parts: [{ text: 'hello there' }] }] };

  beforeAll(async () => {
    fake = await startFakeProvider();
    model = new GoogleGenerativeAI('g-key').getGenerativeModel(
      { model: 'gemini-fake' },
      { baseUrl: `${fake.url}/gemini` },
    );
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('echoes the last user text with usage metadata and records the key header', async () => {
    const { response } = await model.generateContent(ask);
    expect(response.text()).toBe('hello there');
    expect(response.candidates?.[0].finishReason).toBe('STOP');
    expect(response.usageMetadata).toEqual({
      promptTokenCount: 3,
      candidatesTokenCount: 3,
      totalTokenCount: 6,
    });
    expect(fake.requests[0]).toMatchObject({
      format: 'gemini',
      operation: 'chat',
      model: 'gemini-fake',
      stream: false,
      apiKey: 'g-key',
      path: '/gemini/v1beta/models/gemini-fake:generateContent',
    });
  });

  it('returns function calls as whole parts and reports cached tokens', async () => {
    fake.enqueue({
      toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }],
      usage: { prompt: 10, completion: 4, cached: 6 },
    });
    const { response } = await model.generateContent(ask);
    expect(response.functionCalls()).toEqual([{ name: 'lookup', args: { q: 'x' } }]);
    expect(response.usageMetadata).toEqual({
      promptTokenCount: 10,
      candidatesTokenCount: 4,
      totalTokenCount: 14,
      cachedContentTokenCount: 6,
    });
  });

  it('streams text chunks then a function call, with finish reason and usage last', async () => {
    fake.enqueue({
      text: 'one two three',
      toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }],
      usage: { prompt: 7, completion: 9 },
    });
    const result = await model.generateContentStream(ask);
    const chunks = [];
    for await (const chunk of result.stream) chunks.push(chunk);
    expect(chunks).toHaveLength(4);
    expect(chunks.slice(0, 3).map((c) => c.text())).toEqual(['one ', 'two ', 'three']);
    expect(chunks[3].candidates?.[0]).toMatchObject({
      finishReason: 'STOP',
      content: { parts: [{ functionCall: { name: 'lookup', args: { q: 'x' } } }] },
    });
    expect(chunks[3].usageMetadata).toMatchObject({ promptTokenCount: 7, candidatesTokenCount: 9 });
    const aggregated = await result.response;
    expect(aggregated.text()).toBe('one two three');
    expect(fake.requests[0]).toMatchObject({
      stream: true,
      path: expect.stringContaining(':streamGenerateContent'),
    });
  });

  it('answers a scripted 429 in Google error shape with RetryInfo the SDK exposes', async () => {
    fake.enqueue({ status: 429, retryAfter: '2', errorMessage: 'slow down' });
    const error = (await model
      .generateContent(ask)
      .catch((e: unknown) => e)) as GoogleGenerativeAIFetchError;
    expect(error).toBeInstanceOf(GoogleGenerativeAIFetchError);
    expect(error.status).toBe(429);
    expect(error.errorDetails).toEqual([
      { '@type': 'type.googleapis.com/google.rpc.RetryInfo', retryDelay: '2s' },
    ]);
    expect(error.message).toContain('slow down');
  });

  it('names the canonical status of an error', async () => {
    fake.enqueue({ status: 503, errorMessage: 'overloaded' });
    const res = await fetch(
      `${fake.url}/gemini/v1beta/models/gemini-fake:generateContent?key=q-key`,
      {
        method: 'POST',
        body: JSON.stringify(ask),
      },
    );
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({
      error: { code: 503, message: 'overloaded', status: 'UNAVAILABLE' },
    });
    expect(fake.requests[0].apiKey).toBe('q-key');
  });

  it('sends an error object as a data line inside a 200 stream', async () => {
    fake.enqueue({ text: 'a b c', fault: 'error-event', faultAfterChunks: 1 });
    const result = await model.generateContentStream(ask);
    const chunks: unknown[] = [];
    for await (const chunk of result.stream) chunks.push(chunk);
    expect(chunks).toHaveLength(2);
    expect(chunks[1]).toMatchObject({ error: { code: 500, status: 'INTERNAL' } });
  });

  it('cuts a stream mid-way when scripted to disconnect', async () => {
    fake.enqueue({ text: 'a b c d e', fault: 'disconnect', faultAfterChunks: 2 });
    const result = await model.generateContentStream(ask);
    result.response.catch(() => undefined);
    const seen: string[] = [];
    await expect(
      (async () => {
        for await (const chunk of result.stream) seen.push(chunk.text());
      })(),
    ).rejects.toThrow('Error reading from the stream');
    expect(seen).toEqual(['a ', 'b ']);
  });

  it('answers a blocked prompt with prompt feedback and no candidates', async () => {
    fake.enqueue({ text: '', finishReason: 'content_filter' });
    const { response } = await model.generateContent(ask);
    expect(response.candidates).toBeUndefined();
    expect(response.promptFeedback?.blockReason).toBe('SAFETY');
  });

  it('embeds one text or a batch at the requested dimensionality', async () => {
    const embedder = new GoogleGenerativeAI('g-key').getGenerativeModel(
      { model: 'text-embedding-fake' },
      { baseUrl: `${fake.url}/gemini` },
    );
    const single = await embedder.embedContent('alpha beta');
    expect(single.embedding.values).toHaveLength(64);
    const batch = await embedder.batchEmbedContents({
      requests: ['a', 'b'].map((text) => ({
        content: { role: 'user', parts: [{ text }] },
        outputDimensionality: 8,
      })),
    });
    expect(batch.embeddings.map((e) => e.values.length)).toEqual([8, 8]);
    expect(Math.hypot(...batch.embeddings[0].values)).toBeCloseTo(1, 5);
    expect(fake.requests.map((r) => r.operation)).toEqual(['embeddings', 'embeddings']);
  });

  it('counts tokens and lists models', async () => {
    const { totalTokens } = await model.countTokens('twelve chars');
    expect(totalTokens).toBe(3);
    const res = await fetch(`${fake.url}/gemini/v1beta/models`);
    const body = (await res.json()) as { models: Array<{ name: string }> };
    expect(body.models.map((m) => m.name)).toContain('models/gemini-fake');
  });
});
