import type { AddressInfo } from 'node:net';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import { Agent } from 'undici';
import { abortableRequest } from './abortable-request';

/** An upstream that answers after `holdMs`, counting the requests it received. */
async function slowServer(
  holdMs: number,
): Promise<{ server: Server; url: string; seen: () => number }> {
  let seen = 0;
  const server = createServer((req, res) => {
    seen++;
    req.resume();
    setTimeout(() => res.end('ok'), holdMs);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { server, url: `http://127.0.0.1:${port}/`, seen: () => seen };
}

describe('abortableRequest', () => {
  let upstream: Awaited<ReturnType<typeof slowServer>>;
  let agent: Agent;

  beforeEach(async () => {
    upstream = await slowServer(1_500);
    agent = new Agent({ connections: 1, pipelining: 1 });
  });
  afterEach(async () => {
    await agent.close();
    await new Promise((resolve) => upstream.server.close(resolve));
  });

  it('rejects a call queued behind a full pool when its signal fires, and never sends it', async () => {
    const holder = abortableRequest(upstream.url, { method: 'GET', dispatcher: agent });
    const controller = new AbortController();
    const reason = new Error('first-token timer');
    const queued = abortableRequest(upstream.url, {
      method: 'GET',
      dispatcher: agent,
      signal: controller.signal,
    });
    const started = Date.now();
    setTimeout(() => controller.abort(reason), 100);
    await expect(queued).rejects.toBe(reason);
    // Its own 100 ms, not the holder's 1.5 s (undici alone waits for the connection).
    expect(Date.now() - started).toBeLessThan(1_000);
    const held = await holder;
    expect(await held.body.text()).toBe('ok');
    // The connection is free again and the abandoned entry was dropped, not sent.
    const after = await abortableRequest(upstream.url, { method: 'GET', dispatcher: agent });
    await after.body.dump();
    expect(upstream.seen()).toBe(2);
  });

  it('rejects at once with an already aborted signal', async () => {
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(
      abortableRequest(upstream.url, {
        method: 'GET',
        dispatcher: agent,
        signal: controller.signal,
      }),
    ).rejects.toThrow('gone');
  });
});
