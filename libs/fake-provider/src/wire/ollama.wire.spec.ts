import type { FakeProviderServer } from '../fake-provider.server';
import { startFakeProvider } from '../fake-provider.server';
import type { FakeScript } from '../fake-script';

interface ChatLine {
  model: string;
  created_at: string;
  message?: {
    role: string;
    content: string;
    tool_calls?: Array<{ function: { name: string; arguments: unknown } }>;
  };
  done: boolean;
  done_reason?: string;
  prompt_eval_count?: number;
  eval_count?: number;
  error?: string;
}

describe('ollamaWire', () => {
  let fake: FakeProviderServer;
  let base: string;

  beforeAll(async () => {
    fake = await startFakeProvider();
    base = `${fake.url}/ollama`;
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());

  function post(path: string, body: unknown, script?: FakeScript, key?: string): Promise<Response> {
    return fetch(`${base}${path}`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        ...(script ? { 'x-fake-script': JSON.stringify(script) } : {}),
        ...(key ? { authorization: `Bearer ${key}` } : {}),
      },
      body: JSON.stringify(body),
    });
  }

  const lines = (text: string): ChatLine[] =>
    text
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as ChatLine);

  const chatBody = (extra: Record<string, unknown> = {}): Record<string, unknown> => ({
    model: 'llama3',
    messages: [
      { role: 'system', content: 'be brief' },
      { role: 'user', content: 'hello there' },
    ],
    ...extra,
  });

  it('answers a non-streamed chat with the echoed text, done_reason and counts', async () => {
    const res = await post('/api/chat', chatBody({ stream: false }), undefined, 'proxy-key');
    expect(res.status).toBe(200);
    const body = (await res.json()) as ChatLine;
    expect(body).toMatchObject({
      model: 'llama3',
      message: { role: 'assistant', content: 'hello there' },
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 5,
      eval_count: 3,
    });
    expect(Number.isNaN(Date.parse(body.created_at))).toBe(false);
    expect(fake.requests[0]).toMatchObject({
      format: 'ollama',
      operation: 'chat',
      model: 'llama3',
      stream: false,
      apiKey: 'proxy-key',
    });
  });

  it('streams NDJSON by default, one line per word and a final done line with counts', async () => {
    fake.enqueue({ text: 'one two three', usage: { prompt: 7, completion: 9 } });
    const res = await post('/api/chat', chatBody());
    expect(res.headers.get('content-type')).toBe('application/x-ndjson');
    const all = lines(await res.text());
    expect(all).toHaveLength(4);
    expect(all.slice(0, 3).map((l) => l.message?.content)).toEqual(['one ', 'two ', 'three']);
    expect(all.slice(0, 3).every((l) => !l.done)).toBe(true);
    expect(all[3]).toMatchObject({
      done: true,
      done_reason: 'stop',
      prompt_eval_count: 7,
      eval_count: 9,
    });
    expect(fake.requests[0].stream).toBe(true);
  });

  it('returns tool calls with object arguments, whole, and says stop', async () => {
    const script: FakeScript = { toolCalls: [{ name: 'lookup', arguments: { q: 'x' } }] };
    const res = await post('/api/chat', chatBody({ stream: false }), script);
    const body = (await res.json()) as ChatLine;
    expect(body.message?.tool_calls).toEqual([
      { function: { index: 0, name: 'lookup', arguments: { q: 'x' } } },
    ]);
    expect(body.done_reason).toBe('stop');

    const streamed = lines(await (await post('/api/chat', chatBody(), script)).text());
    expect(streamed).toHaveLength(2);
    expect(streamed[0].message?.tool_calls?.[0].function).toMatchObject({ arguments: { q: 'x' } });
  });

  it('reports a length stop as done_reason length', async () => {
    const res = await post('/api/chat', chatBody({ stream: false }), {
      text: 'cut',
      finishReason: 'length',
    });
    expect(((await res.json()) as ChatLine).done_reason).toBe('length');
  });

  it('embeds a string or a list, honouring dimensions', async () => {
    const one = await post('/api/embed', { model: 'nomic', input: 'a b' });
    const single = (await one.json()) as { embeddings: number[][]; prompt_eval_count: number };
    expect(single.embeddings).toHaveLength(1);
    expect(single.embeddings[0]).toHaveLength(64);
    expect(single.prompt_eval_count).toBe(1);

    const many = await post('/api/embed', { model: 'nomic', input: ['a b', 'c'], dimensions: 8 });
    const list = (await many.json()) as { model: string; embeddings: number[][] };
    expect(list.model).toBe('nomic');
    expect(list.embeddings.map((v) => v.length)).toEqual([8, 8]);
    expect(Math.hypot(...list.embeddings[0])).toBeCloseTo(1, 5);
    expect(fake.requests.map((r) => r.operation)).toEqual(['embeddings', 'embeddings']);
  });

  it('lists models at /api/tags', async () => {
    const res = await fetch(`${base}/api/tags`);
    const body = (await res.json()) as { models: Array<{ name: string }> };
    expect(body.models.map((m) => m.name)).toContain('fake-chat:latest');
  });

  it('answers a scripted status with the {error} body', async () => {
    const res = await post('/api/chat', chatBody(), {
      status: 404,
      errorMessage: 'model "nope" not found, try pulling it first',
    });
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'model "nope" not found, try pulling it first' });
  });

  it('sends an {error} line inside a 200 stream', async () => {
    const res = await post('/api/chat', chatBody(), {
      text: 'a b c',
      fault: 'error-event',
      faultAfterChunks: 2,
    });
    expect(res.status).toBe(200);
    const all = lines(await res.text());
    expect(all).toHaveLength(3);
    expect(all[2].error).toContain('error');
  });

  it('sends a broken JSON line when scripted malformed', async () => {
    const res = await post('/api/chat', chatBody(), {
      text: 'a b',
      fault: 'malformed',
      faultAfterChunks: 1,
    });
    const raw = (await res.text()).split('\n').filter((l) => l !== '');
    expect(raw).toHaveLength(2);
    expect(() => JSON.parse(raw[1]) as unknown).toThrow(SyntaxError);
  });

  it('cuts the stream mid-way when scripted to disconnect', async () => {
    const res = await post('/api/chat', chatBody(), {
      text: 'a b c d',
      fault: 'disconnect',
      faultAfterChunks: 2,
    });
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
  });
});
