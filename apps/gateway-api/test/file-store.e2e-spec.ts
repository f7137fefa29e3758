import OpenAI from 'openai';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GatewayProcess } from './gateway-process';

const ADMIN_KEY = 'admin-file-store-0123456789abcdef';
const HASH_SECRET = 'file-store-hash-secret-0123456789';
const MODEL = 'local-fake/echo';

/** The embedded default: no providers, no Redis, no PostgreSQL; auth on for the keys. */
const CONFIG = {
  auth: { enabled: true, adminKey: ADMIN_KEY, hashSecret: HASH_SECRET },
  usage: { flushIntervalMs: 50 },
};

interface Summary {
  groups: Array<{ key: string | null; requests: number }>;
}

async function admin<T>(gateway: GatewayProcess, method: string, path: string, body?: unknown) {
  const response = await fetch(`${gateway.url}${path}`, {
    method,
    headers: { authorization: `Bearer ${ADMIN_KEY}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as T };
}

/** Requests in the log, waiting (bounded) for the writer's flush to land them. */
async function loggedRequests(gateway: GatewayProcess, expected: number): Promise<number> {
  let requests = -1;
  for (let i = 0; i < 200 && requests !== expected; i++) {
    const { body } = await admin<Summary>(gateway, 'GET', '/v1/usage/summary?period=1h');
    requests = body.groups.reduce((sum, group) => sum + group.requests, 0);
    if (requests !== expected) await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return requests;
}

function clientOf(gateway: GatewayProcess, key: string): OpenAI {
  return new OpenAI({ baseURL: `${gateway.url}/v1`, apiKey: key, maxRetries: 0 });
}

/**
 * Issue 16, must-show 4: on the embedded default, keys and usage live in a SQLite file
 * under the data directory, so a restart keeps them; two processes on one file
 * cooperate (WAL) without losing a row.
 */
describe('the embedded file store (e2e, gateway processes)', () => {
  let dataDir: string;
  const running: GatewayProcess[] = [];
  const start = async (name: string) => {
    const gateway = await GatewayProcess.start({
      name,
      config: CONFIG,
      env: { AI_GATEWAY_DATA_DIR: dataDir },
    });
    running.push(gateway);
    return gateway;
  };

  beforeEach(async () => {
    dataDir = join(await mkdtemp(join(tmpdir(), 'file-store-e2e-')), 'data');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((gateway) => gateway.stop()));
    await rm(join(dataDir, '..'), { recursive: true, force: true });
  });

  it('keeps a key and its usage rows across a restart', async () => {
    const first = await start('first');
    // Created on first start.
    expect((await stat(join(dataDir, 'gateway.sqlite'))).isFile()).toBe(true);
    const created = await admin<{ id: string; key: string }>(first, 'POST', '/v1/admin/keys', {
      name: 'survivor',
      userId: 'alice',
    });
    expect(created.status).toBe(201);
    const client = clientOf(first, created.body.key);
    for (let i = 0; i < 5; i++) {
      const answer = await client.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: `before restart ${i}` }],
      });
      expect(answer.choices[0].message.content).toContain(`before restart ${i}`);
    }
    expect(await loggedRequests(first, 5)).toBe(5);
    // A graceful stop (SIGTERM: Nest's shutdown hooks close the store, then re-raise it).
    await first.stop();
    expect(first.exited).toEqual({ code: null, signal: 'SIGTERM' });

    const second = await start('second');
    // The key still works, by its secret; its rows are still there, under it.
    const answer = await clientOf(second, created.body.key).chat.completions.create({
      model: MODEL,
      messages: [{ role: 'user', content: 'after restart' }],
    });
    expect(answer.choices[0].message.content).toContain('after restart');
    expect(await loggedRequests(second, 6)).toBe(6);
    const byKey = await admin<Summary>(second, 'GET', '/v1/usage/summary?period=1h&groupBy=key');
    expect(byKey.body.groups).toEqual([
      expect.objectContaining({ key: created.body.id, requests: 6 }),
    ]);
    const listed = await admin<{ data: Array<{ id: string; name: string }> }>(
      second,
      'GET',
      '/v1/admin/keys',
    );
    expect(listed.body.data.map((key) => key.name)).toEqual(['survivor']);
    // A wrong key is still refused after the restart.
    const refused = await fetch(`${second.url}/v1/models`, {
      headers: { authorization: 'Bearer gw-not-a-key' },
    });
    expect(refused.status).toBe(401);
  });

  it('keeps every acknowledged row when the process is killed (SIGKILL) and restarted', async () => {
    const first = await start('crashing');
    const created = await admin<{ key: string }>(first, 'POST', '/v1/admin/keys', { name: 'k' });
    const client = clientOf(first, created.body.key);
    for (let i = 0; i < 4; i++) {
      await client.chat.completions.create({
        model: MODEL,
        messages: [{ role: 'user', content: 'x' }],
      });
    }
    // Once the summary shows the rows they are committed; then the crash.
    expect(await loggedRequests(first, 4)).toBe(4);
    await first.kill('SIGKILL');
    const second = await start('after-crash');
    expect(await loggedRequests(second, 4)).toBe(4);
  });

  it('two processes on one data directory cooperate: every row of both lands once', async () => {
    const a = await start('A');
    const b = await start('B');
    const created = await admin<{ key: string }>(a, 'POST', '/v1/admin/keys', { name: 'shared' });
    // A key made through A is known to B: the same file.
    const send = (gateway: GatewayProcess, n: number) =>
      Promise.all(
        Array.from({ length: n }, (_, i) =>
          clientOf(gateway, created.body.key).chat.completions.create({
            model: MODEL,
            messages: [{ role: 'user', content: `${gateway.name} ${i}` }],
          }),
        ),
      );
    await Promise.all([send(a, 40), send(b, 40)]);
    expect(await loggedRequests(a, 80)).toBe(80);
    expect(await loggedRequests(b, 80)).toBe(80);
  });
});
