import { authSection } from './auth.section';
import { cacheSection } from './cache.section';
import type { ConfigSection } from './config-section';
import type { Env } from './gateway-config.loader';
import { loadGatewayConfig } from './gateway-config.loader';
import type { GatewayConfig } from './gateway-config.schema';
import { configSections, GATEWAY_CONFIG_SECTIONS } from './gateway-config.sections';
import { providersSection } from './providers.section';
import { redisSection } from './redis.section';
import { routesSection } from './routes.section';
import { RouteConfig } from './routing-config.schema';
import { SectionContext } from './section-context';
import { usageSection } from './usage.section';

/** Runs one section as the loader does: env shortcuts on a copy of its mapping, then build. */
function read<T>(
  section: ConfigSection<string, T>,
  raw: Record<string, unknown>,
  env: Env = {},
): { value: T; context: SectionContext } {
  const context = new SectionContext(env);
  const input = { ...raw };
  for (const shortcut of section.envShortcuts ?? []) {
    const value = env[shortcut.variable];
    if (value) shortcut.apply(input, value, context);
  }
  return { value: section.build(input, context), context };
}

/** The problems a section's checks report against a loaded configuration changed by `edit`. */
function checked(section: ConfigSection, edit: (config: GatewayConfig) => void): string[] {
  const config = loadGatewayConfig({ env: {} });
  edit(config);
  const context = new SectionContext({});
  section.check?.((config as unknown as Record<string, unknown>)[section.key], config, context);
  return [...context.problems];
}

describe('gateway config sections', () => {
  it('lists each core section once, in the order problems are reported', () => {
    expect(GATEWAY_CONFIG_SECTIONS.map((s) => s.key)).toEqual([
      'server',
      'logging',
      'otel',
      'providers',
      'routes',
      'routing',
      'budgets',
      'rateLimits',
      'cache',
      'usage',
      'auth',
      'redis',
      'guardrails',
    ]);
    expect(configSections()).toEqual(GATEWAY_CONFIG_SECTIONS);
  });

  it('refuses a second section of a taken key', () => {
    const again: ConfigSection = { key: 'cache', build: () => ({}) };
    expect(() => configSections([again])).toThrow('Config section key "cache" is already taken');
    const computed: ConfigSection = { key: 'embeddedFake', build: () => true };
    expect(() => configSections([computed])).toThrow('"embeddedFake" is already taken');
  });

  describe('env shortcuts', () => {
    it('redis: REDIS_URL gives the section its URL unless the file has one', () => {
      expect(read(redisSection, {}, { REDIS_URL: 'redis://env:6379' }).value?.url).toBe(
        'redis://env:6379',
      );
      const fromFile = read(redisSection, { url: 'redis://file:6379' }, { REDIS_URL: 'x' });
      expect(fromFile.value?.url).toBe('redis://file:6379');
    });

    it('redis: no URL at all leaves the section without a value', () => {
      expect(read(redisSection, { keyPrefix: 'p:' }).value).toBeUndefined();
    });

    it('usage: DATABASE_URL fills databaseUrl', () => {
      const { value } = read(usageSection, {}, { DATABASE_URL: 'postgres://db/x' });
      expect(value.databaseUrl).toBe('postgres://db/x');
    });

    it('auth: GATEWAY_ADMIN_KEY and GATEWAY_KEY_SECRET fill the secrets the file leaves out', () => {
      const env = {
        GATEWAY_ADMIN_KEY: 'admin-from-env-0123',
        GATEWAY_KEY_SECRET: 'secret-env-0123456',
      };
      const { value } = read(authSection, { adminKey: 'admin-from-file-0123' }, env);
      expect(value).toMatchObject({
        adminKey: 'admin-from-file-0123',
        hashSecret: 'secret-env-0123456',
      });
    });

    it('providers: a vendor variable adds its provider; its problems carry the variable name', () => {
      const { value, context } = read(providersSection, {}, { OLLAMA_BASE_URL: 'not a url' });
      expect(value.ollama).toMatchObject({ name: 'ollama', kind: 'ollama' });
      expect(context.problems).toEqual([expect.stringMatching(/^OLLAMA_BASE_URL\.baseUrl: /)]);
    });
  });

  describe('checks', () => {
    it('auth: a hash secret is required once keys exist', () => {
      expect(checked(authSection, (c) => (c.auth.enabled = true))).toEqual([
        'auth.hashSecret: required when auth is enabled or an admin key is set (or GATEWAY_KEY_SECRET)',
      ]);
      expect(checked(authSection, () => undefined)).toEqual([]);
    });

    it('cache: the redis backend needs a Redis', () => {
      expect(checked(cacheSection, (c) => (c.cache.backend = 'redis'))).toEqual([
        'cache.backend: redis needs redis.url (or REDIS_URL); use auto or memory without one',
      ]);
    });

    it('routes: weights match targets, and every target names a known provider', () => {
      const problems = checked(routesSection, (c) => {
        c.routes.fast = Object.assign(new RouteConfig(), {
          name: 'fast',
          targets: ['local-fake/echo', 'ghost/x'],
          strategy: 'weighted' as const,
          weights: [1],
        });
      });
      expect(problems).toEqual([
        'routes.fast.weights: needs one weight per target (2)',
        'routes.fast.targets[1]: unknown provider "ghost" in "ghost/x"',
      ]);
    });
  });

  it('providers: a missing variable of a disabled provider is tolerated, of an enabled one not', () => {
    const { value } = read(providersSection, {
      off: { kind: 'openai', enabled: false },
      on: { kind: 'openai', apiKey: 'k' },
    });
    expect(providersSection.tolerateMissing?.('off.apiKeys[0]', value)).toBe(true);
    expect(providersSection.tolerateMissing?.('on.apiKeys[0]', value)).toBe(false);
    expect(providersSection.tolerateMissing?.('ghost.apiKeys[0]', value)).toBe(false);
  });
});
