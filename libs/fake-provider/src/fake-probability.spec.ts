import type { FakeProviderServer } from './fake-provider.server';
import { startFakeProvider } from './fake-provider.server';
import { mulberry32 } from './fake-script';

const SEED = 20_240_601;

interface Reply {
  status: number;
  text?: string;
  ms: number;
}

async function ask(fake: FakeProviderServer): Promise<Reply> {
  const started = performance.now();
  const res = await fetch(`${fake.url}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-fake' },
    body: JSON.stringify({ model: 'fake-chat', messages: [{ role: 'user', content: 'hi' }] }),
  });
  const body = (await res.json()) as { choices?: Array<{ message: { content: string } }> };
  return {
    status: res.status,
    text: body.choices?.[0]?.message.content,
    ms: performance.now() - started,
  };
}

/** `count` requests, `concurrency` at a time; replies in send order. */
async function askMany(fake: FakeProviderServer, count: number, concurrency = 1): Promise<Reply[]> {
  const replies: Reply[] = [];
  for (let sent = 0; sent < count; sent += concurrency) {
    const batch = Math.min(concurrency, count - sent);
    replies.push(...(await Promise.all(Array.from({ length: batch }, () => ask(fake)))));
  }
  return replies;
}

/** The outcome the seeded generator predicts for each of `count` draws. */
function predicted(seed: number, count: number, probability: number): boolean[] {
  const random = mulberry32(seed);
  return Array.from({ length: count }, () => random() < probability);
}

describe(mulberry32.name, () => {
  it('repeats its sequence for a seed and stays in [0, 1)', () => {
    const a = Array.from({ length: 1_000 }, mulberry32(SEED));
    const b = Array.from({ length: 1_000 }, mulberry32(SEED));
    expect(a).toEqual(b);
    expect(Math.min(...a)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...a)).toBeLessThan(1);
    expect(mulberry32(SEED + 1)()).not.toBe(a[0]);
  });
});

describe('FakeProviderServer probability', () => {
  let fake: FakeProviderServer;

  afterEach(() => fake.close());

  it('fails exactly the seeded 30 % of 1,000 calls', async () => {
    fake = await startFakeProvider({ seed: SEED });
    fake.enqueue({ status: 500, errorMessage: 'flaky' }, -1, undefined, 0.3);
    const replies = await askMany(fake, 1_000);

    const expected = predicted(SEED, 1_000, 0.3);
    expect(replies.map((r) => r.status === 500)).toEqual(expected);
    const failures = replies.filter((r) => r.status === 500).length;
    expect(failures).toBe(expected.filter(Boolean).length);
    expect(failures).toBeGreaterThanOrEqual(250);
    expect(failures).toBeLessThanOrEqual(350);
    expect(replies.filter((r) => r.status === 200).every((r) => r.text === 'hi')).toBe(true);
  }, 30_000);

  it('gives the same count through the admin endpoint, whatever the arrival order', async () => {
    fake = await startFakeProvider({ seed: SEED });
    const queued = await fetch(`${fake.url}/_fake/scripts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ script: { status: 503 }, times: -1, probability: 0.3 }),
    });
    expect(await queued.json()).toEqual({ queued: 1 });
    const replies = await askMany(fake, 1_000, 25);
    const failures = replies.filter((r) => r.status === 503).length;
    expect(failures).toBe(predicted(SEED, 1_000, 0.3).filter(Boolean).length);
  }, 30_000);

  it('does not use up `times` on a miss, and lets a miss reach the next matching entry', async () => {
    fake = await startFakeProvider({ seed: SEED });
    fake.enqueue({ text: 'lucky' }, 2, undefined, 0.5);
    fake.enqueue({ text: 'never' }, -1, undefined, 0);
    const replies = await askMany(fake, 20);

    const draws = predicted(SEED, 40, 0.5);
    // Draws alternate between the entries only while the first is queued: replay it.
    const expected: string[] = [];
    let draw = 0;
    let left = 2;
    for (let i = 0; i < 20; i++) {
      if (left > 0 && draws[draw++]) {
        left--;
        expected.push('lucky');
      } else {
        draw++; // the `probability: 0` entry draws too, and always misses
        expected.push('hi');
      }
    }
    expect(replies.map((r) => r.text)).toEqual(expected);
    expect(expected.filter((t) => t === 'lucky')).toHaveLength(2);
  });

  it('delays the seeded ~10 % slow tail by its latency', async () => {
    fake = await startFakeProvider({ seed: SEED });
    fake.enqueue({ latencyMs: 200, text: 'slow' }, -1, undefined, 0.1);
    const replies = await askMany(fake, 300, 50);

    const slow = replies.filter((r) => r.text === 'slow');
    expect(slow).toHaveLength(predicted(SEED, 300, 0.1).filter(Boolean).length);
    expect(slow.length).toBeGreaterThanOrEqual(15);
    expect(slow.length).toBeLessThanOrEqual(45);
    expect(Math.min(...slow.map((r) => r.ms))).toBeGreaterThanOrEqual(195);
    expect(replies.filter((r) => r.text === 'hi')).toHaveLength(300 - slow.length);
  }, 30_000);
});
