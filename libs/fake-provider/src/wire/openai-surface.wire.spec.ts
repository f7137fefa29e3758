import OpenAI, { toFile } from 'openai';
import type { FakeProviderServer } from '../fake-provider.server';
import { startFakeProvider } from '../fake-provider.server';

describe('openAiSurfaceWire', () => {
  let fake: FakeProviderServer;
  let client: OpenAI;

  beforeAll(async () => {
    fake = await startFakeProvider();
    client = new OpenAI({ baseURL: `${fake.url}/openai/v1`, apiKey: 'sk-fake', maxRetries: 0 });
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  it('answers legacy completions with the prompt and the scripted usage', async () => {
    fake.enqueue({ usage: { prompt: 4, completion: 2 } });
    const res = await client.completions.create({ model: 'instruct', prompt: 'hi there' });
    expect(res.choices[0]).toMatchObject({ text: 'hi there', finish_reason: 'stop' });
    expect(res.usage).toMatchObject({ prompt_tokens: 4, completion_tokens: 2 });
    expect(fake.requests[0]).toMatchObject({ operation: 'completions', model: 'instruct' });
  });

  it('streams legacy completions, usage last when asked', async () => {
    const stream = await client.completions.create({
      model: 'instruct',
      prompt: 'one two',
      stream: true,
      stream_options: { include_usage: true },
    });
    const chunks = [];
    for await (const chunk of stream) chunks.push(chunk);
    expect(chunks.map((c) => c.choices[0]?.text ?? '').join('')).toBe('one two');
    expect(chunks.at(-1)?.usage).toMatchObject({ completion_tokens: 2 });
  });

  it('flags moderation inputs about violence, one result per input', async () => {
    const res = await client.moderations.create({ model: 'mod', input: ['ok', 'violence'] });
    expect(res.results.map((r) => r.flagged)).toEqual([false, true]);
  });

  it('generates n images with usage', async () => {
    const res = await client.images.generate({ model: 'img', prompt: 'cat', n: 3 });
    expect(res.data).toHaveLength(3);
    expect(res.usage).toMatchObject({ output_tokens: 300 });
  });

  it('speaks binary audio of the format asked for', async () => {
    const res = await client.audio.speech.create({
      model: 'tts',
      voice: 'alloy',
      input: 'hey',
      response_format: 'flac',
    });
    expect(res.headers.get('content-type')).toBe('audio/flac');
    expect(Buffer.from(await res.arrayBuffer()).toString()).toBe('FAKE-AUDIO\nhey');
  });

  it('transcribes a multipart upload and records its fields and file', async () => {
    const res = await client.audio.transcriptions.create({
      model: 'whisper',
      file: await toFile(Buffer.alloc(2048, 1), 'a.wav', { type: 'audio/wav' }),
      prompt: 'names',
    });
    expect(res.text).toBe('fake transcript of a.wav (2048 bytes)');
    expect(fake.requests[0]).toMatchObject({
      operation: 'transcriptions',
      model: 'whisper',
      body: { model: 'whisper', prompt: 'names', file: { filename: 'a.wav', size: 2048 } },
    });
  });

  it('answers a transcription as plain text when asked', async () => {
    fake.enqueue({ text: 'hello world' });
    const text = await client.audio.transcriptions.create({
      model: 'whisper',
      file: await toFile(Buffer.from('x'), 'b.mp3'),
      response_format: 'text',
    });
    expect(text).toBe('hello world');
  });

  it('refuses a transcription without a file, in OpenAI’s error shape', async () => {
    const form = new FormData();
    form.append('model', 'whisper');
    const res = await fetch(`${fake.url}/v1/audio/transcriptions`, { method: 'POST', body: form });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { type: 'invalid_request_error' } });
  });
});
