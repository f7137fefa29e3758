import { Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import { mkdtemp, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { stringify } from 'yaml';
import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import { RedisConnection } from '../redis/redis-connection.service';
import { ConfigReloader } from './config-reloader.service';

const REDIS_URL = 'redis://127.0.0.1:6379';

/** Waits (bounded, generously) for a condition; no fixed sleeps decide a result. */
async function until(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition never held');
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe(ConfigReloader.name, () => {
  let dir: string;
  const stops: Array<() => Promise<void> | void> = [];
  const keyPrefix = `reload-spec-${randomUUID().slice(0, 8)}:`;

  /** A provider config with these keys, a route order and a rate limit; `redis` on when asked. */
  const yamlOf = (keys: string[], extra: Record<string, unknown> = {}, withRedis = false) =>
    stringify({
      providers: {
        openai: { kind: 'openai', apiKeys: keys, models: ['gpt-4o-mini'] },
        backup: { kind: 'openai-compatible', baseUrl: 'http://127.0.0.1:9/v1', models: ['m'] },
      },
      ...(withRedis ? { redis: { url: REDIS_URL, keyPrefix } } : {}),
      ...extra,
    });

  /** A reloader on `file` as the module builds it, started (watch, and Redis when configured). */
  async function start(file: string, watch = true) {
    const load = () => loadGatewayConfig({ configPath: file, env: {} });
    const config = new GatewayConfigService(load());
    const redis = new RedisConnection(config);
    await redis.onModuleInit();
    const reloader = new ConfigReloader(config, redis, new GatewayMetrics(), {
      load,
      file: watch ? file : undefined,
    });
    await reloader.onApplicationBootstrap();
    stops.push(async () => {
      reloader.onApplicationShutdown();
      await redis.onModuleDestroy();
    });
    return { config, reloader };
  }

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'config-reload-'));
  });
  afterEach(async () => {
    for (const stop of stops.splice(0)) await stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies a valid file; an invalid one or a restart-only change changes nothing and says why', async () => {
    const file = join(dir, 'gateway.yaml');
    await writeFile(file, yamlOf(['sk-old-0123456789abcdef']));
    const { config, reloader } = await start(file);
    const first = reloader.status();
    expect(first).toMatchObject({ trigger: 'start', file, reloadable: true });

    // The same file again: nothing to apply.
    expect(await reloader.reload('admin')).toEqual({
      ok: true,
      changed: false,
      version: first.version,
    });

    await writeFile(file, yamlOf(['sk-old-0123456789abcdef', 'sk-new-0123456789abcdef']));
    const added = await reloader.reload('admin');
    expect(added).toMatchObject({ ok: true, changed: true });
    expect(added.version).not.toBe(first.version);
    expect(config.current.providers.openai.apiKeys).toEqual([
      'sk-old-0123456789abcdef',
      'sk-new-0123456789abcdef',
    ]);
    expect(reloader.status()).toMatchObject({ version: added.version, trigger: 'admin' });

    // Invalid: every problem listed, the loaded configuration untouched.
    await writeFile(
      file,
      yamlOf(['sk-x-0123456789abcdef'], {
        rateLimits: { global: { requestsPerMinute: -5 } },
        nope: 1,
      }),
    );
    const invalid = await reloader.reload('admin');
    expect(invalid.ok).toBe(false);
    expect(invalid.errors?.join('\n')).toMatch(/requestsPerMinute/);
    expect(invalid.errors?.join('\n')).toMatch(/nope: unknown key/);
    expect(invalid.version).toBe(added.version);
    expect(config.current.providers.openai.apiKeys).toHaveLength(2);

    // A restart-only setting: refused whole (the key change beside it is not applied either).
    await writeFile(file, yamlOf(['sk-new-0123456789abcdef'], { server: { port: 9123 } }));
    const restart = await reloader.reload('signal');
    expect(restart).toMatchObject({ ok: false, errors: ['server: changes only with a restart'] });
    expect(config.current.providers.openai.apiKeys).toHaveLength(2);
  });

  it('a burst of asks is one more reload after the running one, not one each', async () => {
    const file = join(dir, 'gateway.yaml');
    await writeFile(file, yamlOf(['sk-a-0123456789abcdef']));
    const config = new GatewayConfigService(loadGatewayConfig({ configPath: file, env: {} }));
    let loads = 0;
    const load = () => {
      loads++;
      return loadGatewayConfig({ configPath: file, env: {} });
    };
    const redis = new RedisConnection(config);
    const reloader = new ConfigReloader(config, redis, new GatewayMetrics(), { load });
    await writeFile(file, yamlOf(['sk-b-0123456789abcdef']));
    // 50 peers' messages and file events at once, then an admin ask among them.
    const outcomes = await Promise.all([
      ...Array.from({ length: 50 }, () => reloader.reload('peer')),
      reloader.reload('admin'),
    ]);
    expect(loads).toBe(1);
    expect(outcomes.every((o) => o.ok && o.version === outcomes[0].version)).toBe(true);
    // The local ask outranked the peers': the reload that ran was the admin's.
    expect(reloader.status().trigger).toBe('admin');
    expect(config.current.providers.openai.apiKeys).toEqual(['sk-b-0123456789abcdef']);
    // Asked while one runs: one more, after it.
    const first = reloader.reload('file');
    const second = [reloader.reload('file'), reloader.reload('signal')];
    await Promise.all([first, ...second]);
    expect(loads).toBe(2);
  });

  it('reloads on a change of the file, also when it is replaced (as editors and ConfigMaps do)', async () => {
    const file = join(dir, 'gateway.yaml');
    await writeFile(file, yamlOf(['sk-a-0123456789abcdef']));
    const { config } = await start(file);
    await writeFile(file, yamlOf(['sk-b-0123456789abcdef']));
    await until(() => config.current.providers.openai.apiKeys?.[0] === 'sk-b-0123456789abcdef');
    // Replaced by a rename, not written in place.
    await writeFile(join(dir, 'next.yaml'), yamlOf(['sk-c-0123456789abcdef']));
    await rename(join(dir, 'next.yaml'), file);
    await until(() => config.current.providers.openai.apiKeys?.[0] === 'sk-c-0123456789abcdef');
  });

  it('tells the other instances on the same Redis: each reloads its own file', async () => {
    const fileA = join(dir, 'a.yaml');
    const fileB = join(dir, 'b.yaml');
    await writeFile(fileA, yamlOf(['sk-1-0123456789abcdef'], {}, true));
    await writeFile(fileB, yamlOf(['sk-1-0123456789abcdef'], {}, true));
    const a = await start(fileA);
    // B does not watch its file: only A's message can make it read the file again.
    const b = await start(fileB, false);
    await writeFile(fileA, yamlOf(['sk-2-0123456789abcdef'], {}, true));
    await writeFile(fileB, yamlOf(['sk-2-0123456789abcdef'], {}, true));
    // Only A is asked (its watch may beat the call: either way A applies it, then tells B).
    expect((await a.reloader.reload('admin')).ok).toBe(true);
    await until(() => b.config.current.providers.openai.apiKeys?.[0] === 'sk-2-0123456789abcdef');
    expect(b.reloader.status()).toMatchObject({
      trigger: 'peer',
      version: a.reloader.status().version,
    });
  });
});
