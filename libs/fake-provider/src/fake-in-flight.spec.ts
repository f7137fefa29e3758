import type { FakeProviderServer } from './fake-provider.server';
import { startFakeProvider } from './fake-provider.server';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `read` until it returns `want` (bounded); returns the last value seen. */
async function until<T>(read: () => T, want: T, ms = 5_000): Promise<T> {
  const deadline = Date.now() + ms;
  while (read() !== want && Date.now() < deadline) await sleep(5);
  return read();
}

function chat(fake: FakeProviderServer, signal?: AbortSignal): Promise<Response> {
  return fetch(`${fake.url}/openai/v1/chat/completions`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer sk-fake' },
    body: JSON.stringify({ model: 'fake-chat', messages: [{ role: 'user', content: 'hi' }] }),
    signal,
  });
}

describe('FakeProviderServer in-flight counter and pause', () => {
  let fake: FakeProviderServer;

  beforeEach(async () => {
    fake = await startFakeProvider();
  });
  afterEach(() => fake.close());

  it('counts model calls answered at once and keeps the peak until reset', async () => {
    fake.enqueue({ fault: 'hang' }, 3);
    const aborts = Array.from({ length: 3 }, () => new AbortController());
    const pending = aborts.map((abort) => chat(fake, abort.signal).catch(() => undefined));
    expect(await until(() => fake.inFlight, 3)).toBe(3);
    expect(fake.maxInFlight).toBe(3);

    // A call whose client went away is no longer in flight.
    for (const abort of aborts) abort.abort();
    await Promise.all(pending);
    expect(await until(() => fake.inFlight, 0)).toBe(0);
    expect(fake.maxInFlight).toBe(3);

    // Finished calls leave too; the peak starts again from what is open after a reset.
    fake.resetMaxInFlight();
    expect(fake.maxInFlight).toBe(0);
    const res = await chat(fake);
    expect(res.status).toBe(200);
    await res.text();
    expect(await until(() => fake.inFlight, 0)).toBe(0);
    expect(fake.maxInFlight).toBe(1);
  });

  it('does not count model listings, and reports the figures on the admin endpoint', async () => {
    await (await fetch(`${fake.url}/openai/v1/models`)).text();
    expect(fake.maxInFlight).toBe(0);

    fake.enqueue({ fault: 'hang' }, 2);
    const abort = new AbortController();
    const pending = [chat(fake, abort.signal), chat(fake, abort.signal)].map((res) =>
      res.catch(() => undefined),
    );
    await until(() => fake.inFlight, 2);
    const admin = (await (await fetch(`${fake.url}/_fake/requests`)).json()) as {
      count: number;
      inFlight: number;
      maxInFlight: number;
    };
    abort.abort();
    await Promise.all(pending);
    expect(admin).toMatchObject({ count: 2, inFlight: 2, maxInFlight: 2 });
  });

  it('holds model calls while paused, not listings, and answers them on resume', async () => {
    fake.pause();
    const abort = new AbortController();
    const left = chat(fake, abort.signal).catch(() => undefined);
    const held = [chat(fake), chat(fake)];
    expect(await until(() => fake.inFlight, 3)).toBe(3);
    expect((await fetch(`${fake.url}/openai/v1/models`)).status).toBe(200);

    // A held call whose client went away is not answered; the others are, on resume.
    abort.abort();
    await left;
    expect(await until(() => fake.inFlight, 2)).toBe(2);
    fake.resume();
    const replies = await Promise.all(held);
    expect(replies.map((res) => res.status)).toEqual([200, 200]);
    await Promise.all(replies.map((res) => res.text()));
    expect(await until(() => fake.inFlight, 0)).toBe(0);
    expect(fake.requestCount).toBe(3);
  });
});
