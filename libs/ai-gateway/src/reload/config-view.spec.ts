import { loadGatewayConfig } from '../config/gateway-config.loader';
import { REDACTED, configVersion, redactedConfig, restartOnlyChanges } from './config-view';

const base = {
  providers: {
    openai: {
      kind: 'openai',
      apiKeys: ['sk-live-0123456789abcdef', 'sk-next-0123456789abcdef'],
      headers: { 'x-api-token': 'tok-0123456789abcdef', 'x-trace': 'on' },
      models: ['gpt-4o-mini'],
    },
  },
  auth: { enabled: true, adminKey: 'admin-0123456789abcdef', hashSecret: 'hash-0123456789abcdef' },
  usage: { databaseUrl: 'postgres://gw:pg-password-123@db:5432/gw' },
  redis: { url: 'redis://:redis-password-123@cache:6379' },
};
const load = (config: Record<string, unknown>) => loadGatewayConfig({ config, env: {} });

describe('config view', () => {
  it('versions a configuration by its content, whatever the order of its keys', () => {
    const a = load(base);
    const b = load({
      redis: base.redis,
      usage: base.usage,
      auth: base.auth,
      providers: base.providers,
    });
    expect(configVersion(a)).toMatch(/^[0-9a-f]{16}$/);
    expect(configVersion(b)).toBe(configVersion(a));
    const rotated = load({
      ...base,
      providers: { openai: { ...base.providers.openai, apiKeys: ['sk-next-0123456789abcdef'] } },
    });
    expect(configVersion(rotated)).not.toBe(configVersion(a));
    // Restart-only settings are fixed per process (the port comes from PORT): not versioned.
    expect(configVersion(load({ ...base, server: { port: 9999 } }))).toBe(configVersion(a));
  });

  it('names the settings only a restart changes, and nothing else', () => {
    const before = load(base);
    const reloadable = load({
      ...base,
      providers: { openai: { ...base.providers.openai, apiKeys: ['sk-other-0123456789abcdef'] } },
      rateLimits: { global: { requestsPerMinute: 10 } },
      logging: { level: 'debug' },
    });
    expect(restartOnlyChanges(before, reloadable)).toEqual([]);
    const moved = load({
      ...base,
      server: { port: 9999 },
      usage: { databaseUrl: 'postgres://gw:x@other:5432/gw' },
      redis: { url: 'redis://cache2:6379' },
    });
    expect(restartOnlyChanges(before, moved)).toEqual(['server', 'usage.databaseUrl', 'redis.url']);
  });

  it('redacts every credential: keys, secrets, credential headers and URL passwords', () => {
    const view = JSON.stringify(redactedConfig(load(base)));
    for (const secret of [
      'sk-live-0123456789abcdef',
      'sk-next-0123456789abcdef',
      'tok-0123456789abcdef',
      'admin-0123456789abcdef',
      'hash-0123456789abcdef',
      'pg-password-123',
      'redis-password-123',
    ]) {
      expect(view).not.toContain(secret);
    }
    const shown = redactedConfig(load(base)) as {
      providers: {
        openai: { apiKeys: string[]; headers: Record<string, string>; models: string[] };
      };
      usage: { databaseUrl: string };
    };
    expect(shown.providers.openai.apiKeys).toEqual([REDACTED, REDACTED]);
    expect(shown.providers.openai.headers).toEqual({ 'x-api-token': REDACTED, 'x-trace': 'on' });
    expect(shown.providers.openai.models).toEqual(['gpt-4o-mini']);
    expect(shown.usage.databaseUrl).toBe(`postgres://gw:${REDACTED}@db:5432/gw`);
  });
});
