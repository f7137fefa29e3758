import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { GatewayProcess, pollUntil } from './gateway-process';
import { REDIS_URL } from './test-redis';

const ADMIN_KEY = 'admin-hot-reload-0123456789abcdef';
const OLD_KEY = 'sk-old-0123456789abcdef0123';
const NEW_KEY = 'sk-new-0123456789abcdef0123';

interface Settings {
  keys: string[];
  order: 'openai-first' | 'backup-first';
  probeLimit?: number;
}

/**
 * Issue 17, must-show 3: the YAML reloads without a restart, under load, on two instances
 * sharing one Redis — a provider key rotated (added and reloaded by a file change, the old
 * one removed and reloaded by SIGHUP), a route's order and a rate limit changed, an invalid
 * file refused — and not one request fails.
 */
describe('hot reload under load (e2e, two gateway processes on one Redis)', () => {
  let fake: FakeProviderServer;
  let dir: string;
  let file: string;
  const gateways: GatewayProcess[] = [];
  const keyPrefix = `reload-e2e-${randomUUID().slice(0, 8)}:`;

  const configOf = (settings: Settings, extra: Record<string, unknown> = {}) => ({
    server: { host: '127.0.0.1' },
    logging: { level: 'warn' },
    auth: { enabled: false, adminKey: ADMIN_KEY, hashSecret: 'hot-reload-secret-0123456789' },
    redis: { url: REDIS_URL, keyPrefix },
    providers: {
      openai: {
        kind: 'openai',
        baseUrl: `${fake.url}/openai/v1`,
        apiKeys: settings.keys,
        models: ['gpt-4o-mini'],
      },
      backup: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['b-model'] },
    },
    routes: {
      main: {
        targets:
          settings.order === 'openai-first'
            ? ['openai/gpt-4o-mini', 'backup/b-model']
            : ['backup/b-model', 'openai/gpt-4o-mini'],
      },
      probe: { targets: ['backup/b-model'] },
    },
    // The test polls the admin API while it waits for both instances to switch.
    rateLimits: {
      adminRequestsPerMinute: 10_000,
      ...(settings.probeLimit
        ? { models: { probe: { requestsPerMinute: settings.probeLimit } } }
        : {}),
    },
    ...extra,
  });
  const write = (settings: Settings, extra?: Record<string, unknown>) =>
    writeFile(file, stringify(configOf(settings, extra)));

  const admin = async (gateway: GatewayProcess, method: string, path: string) => {
    const response = await fetch(`${gateway.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${ADMIN_KEY}` },
    });
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- JSON of several shapes, asserted below
    return { status: response.status, body: (await response.json()) as Record<string, any> };
  };
  const versionOf = async (gateway: GatewayProcess): Promise<string> =>
    (await admin(gateway, 'GET', '/v1/admin/config')).body.version as string;
  /** Waits until both instances run a version other than `before`, and the same one. */
  const bothMovedFrom = async (before: string): Promise<string> => {
    const versions = await pollUntil(
      () => Promise.all(gateways.map(versionOf)),
      ([a, b]) => a !== before && a === b,
      { timeoutMs: 15_000, everyMs: 100 },
    );
    expect(versions[0]).not.toBe(before);
    expect(versions[1]).toBe(versions[0]);
    return versions[0];
  };
  const chat = (gateway: GatewayProcess, model = 'main') =>
    fetch(`${gateway.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ model, messages: [{ role: 'user', content: 'hi' }] }),
    });

  beforeAll(async () => {
    fake = await startFakeProvider({ recordLimit: 100_000 });
    dir = await mkdtemp(join(tmpdir(), 'hot-reload-e2e-'));
    file = join(dir, 'gateway.yaml');
    await write({ keys: [OLD_KEY], order: 'openai-first' });
    for (const name of ['A', 'B']) {
      gateways.push(await GatewayProcess.start({ name, config: {}, configFile: file }));
    }
  }, 90_000);
  afterAll(async () => {
    await Promise.all(gateways.map((gateway) => gateway.stop()));
    await fake?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('rotates a key, reorders a route and changes a limit with zero failed requests', async () => {
    // The load: 8 clients in a loop over both instances until the sequence is done.
    let running = true;
    const failures: string[] = [];
    let sent = 0;
    const client = async (n: number) => {
      while (running) {
        const response = await chat(gateways[n % 2]);
        await response.arrayBuffer();
        sent++;
        if (response.status !== 200) failures.push(`${gateways[n % 2].name}: ${response.status}`);
      }
    };
    const startedAt = Date.now();
    const load = Promise.all(Array.from({ length: 8 }, (_, n) => client(n)));
    const waitForTraffic = async () => {
      const from = sent;
      await pollUntil(
        () => Promise.resolve(sent),
        (now) => now >= from + 100,
        { timeoutMs: 30_000, everyMs: 20 },
      );
    };

    try {
      await waitForTraffic();
      const v0 = await versionOf(gateways[0]);

      // 1. Add the new key beside the old one: picked up by the file watch of both.
      await write({ keys: [OLD_KEY, NEW_KEY], order: 'openai-first' });
      const v1 = await bothMovedFrom(v0);
      fake.clearRequests();
      await waitForTraffic();
      const keysAfterAdd = new Set(fake.requests.map((r) => r.apiKey));
      expect(keysAfterAdd).toEqual(new Set([OLD_KEY, NEW_KEY]));

      // 2. Remove the old key; A is told by SIGHUP (B by its watch or by A's message).
      await write({ keys: [NEW_KEY], order: 'openai-first' });
      gateways[0].signal('SIGHUP');
      const v2 = await bothMovedFrom(v1);
      fake.clearRequests();
      await waitForTraffic();
      const openaiKeys = new Set(
        fake.requests.filter((r) => r.path.startsWith('/openai')).map((r) => r.apiKey),
      );
      expect(openaiKeys).toEqual(new Set([NEW_KEY]));

      // 3. The route's order and a limit, by the admin call on B (A follows through Redis).
      await write({ keys: [NEW_KEY], order: 'backup-first', probeLimit: 1 });
      const reloaded = await admin(gateways[1], 'POST', '/v1/admin/config/reload');
      expect(reloaded.body).toMatchObject({ ok: true, changed: true });
      const v3 = await bothMovedFrom(v2);
      for (const gateway of gateways) {
        const served = await chat(gateway);
        await served.arrayBuffer();
        expect(served.headers.get('x-gateway-provider')).toBe('backup');
      }
      const probe = [await chat(gateways[0], 'probe'), await chat(gateways[0], 'probe')];
      expect(probe.map((r) => r.status)).toEqual([200, 429]);

      // 4. An invalid file: refused with every problem, nothing changes anywhere.
      await write(
        { keys: [NEW_KEY], order: 'openai-first' },
        {
          rateLimits: { adminRequestsPerMinute: 10_000, global: { requestsPerMinute: 'many' } },
          surprise: true,
        },
      );
      const refused = await admin(gateways[0], 'POST', '/v1/admin/config/reload');
      expect(refused.status).toBe(400);
      expect(refused.body.error.message).toMatch(/requestsPerMinute/);
      expect(refused.body.error.message).toMatch(/surprise: unknown key/);
      await waitForTraffic();
      expect(await Promise.all(gateways.map(versionOf))).toEqual([v3, v3]);
      // The load goes on for 20 s in all, as the example asks (none of it may fail).
      await pollUntil(
        () => Date.now() - startedAt,
        (ms) => ms >= 20_000,
        { timeoutMs: 25_000, everyMs: 200 },
      );
    } finally {
      running = false;
      await load.catch(() => undefined);
      // A crashed instance explains every failure: say so with its output.
      for (const gateway of gateways) {
        if (gateway.exited)
          throw new Error(`${gateway.name} exited:\n${gateway.output.slice(-4_000)}`);
      }
    }
    expect(failures).toEqual([]);
    expect(sent).toBeGreaterThan(1_000);
    process.stderr.write(
      `hot reload under load: ${sent} requests in ${Date.now() - startedAt} ms over both instances, ${failures.length} failed\n`,
    );
  }, 120_000);

  it('shows the loaded configuration with its secrets redacted', async () => {
    const { status, body } = await admin(gateways[0], 'GET', '/v1/admin/config');
    expect(status).toBe(200);
    expect(body).toMatchObject({ reloadable: true, file });
    const text = JSON.stringify(body);
    for (const secret of [ADMIN_KEY, OLD_KEY, NEW_KEY, 'hot-reload-secret-0123456789']) {
      expect(text).not.toContain(secret);
    }
    expect((await fetch(`${gateways[0].url}/v1/admin/config`)).status).toBe(401);
  });
});
