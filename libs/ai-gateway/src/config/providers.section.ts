import type { EnvShortcut } from './config-section';
import { defineConfigSection, entryFromEnv } from './config-section';
import { ownKeyed } from './own-keyed';
import type { ProviderKind } from './provider-config.schema';
import { DEFAULT_BASE_URLS, ModelInfoConfig, ProviderConfig } from './provider-config.schema';
import type { SectionContext } from './section-context';

/** Name of the provider added when nothing else is configured. */
export const LOCAL_FAKE_PROVIDER = 'local-fake';

/** A vendor's usual variable adds its provider, unless the file has one of that name. */
const keyFromEnv = (variable: string, kind: ProviderKind): EnvShortcut =>
  entryFromEnv(variable, kind, (key) => ({ name: kind, kind, apiKeys: [key] }));

const PROVIDER_SHORTCUTS: readonly EnvShortcut[] = [
  keyFromEnv('OPENAI_API_KEY', 'openai'),
  keyFromEnv('ANTHROPIC_API_KEY', 'anthropic'),
  keyFromEnv('GEMINI_API_KEY', 'gemini'),
  keyFromEnv('MISTRAL_API_KEY', 'mistral'),
  entryFromEnv('OLLAMA_BASE_URL', 'ollama', (baseUrl) => ({
    name: 'ollama',
    kind: 'ollama',
    baseUrl,
  })),
];

/**
 * `apiKey` (one) and `apiKeys` (one or a list) become one list, `apiKey` first; keys that
 * interpolated to an empty default (`${KEY_2:-}`) are dropped.
 */
function withKeyList(entry: Record<string, unknown>): Record<string, unknown> {
  if (typeof entry.apiKeys === 'string') entry.apiKeys = [entry.apiKeys];
  if (entry.apiKey !== undefined) {
    entry.apiKeys = [entry.apiKey, ...((entry.apiKeys as unknown[] | undefined) ?? [])];
    delete entry.apiKey;
  }
  if (Array.isArray(entry.apiKeys)) entry.apiKeys = entry.apiKeys.filter((key) => key !== '');
  return entry;
}

function buildProviders(
  section: Record<string, unknown>,
  context: SectionContext,
): Record<string, ProviderConfig> {
  const providers = ownKeyed<ProviderConfig>();
  for (const [name, value, path] of context.entries(section, 'providers')) {
    const entry = withKeyList({ ...context.mapping(value, path), name });
    providers[name] = context.validate(ProviderConfig, entry, path);
  }
  for (const provider of Object.values(providers)) {
    const path = `providers.${provider.name}.modelInfo`;
    provider.modelInfo = context.keyedMap(ModelInfoConfig, provider.modelInfo, path);
    provider.baseUrl ??= DEFAULT_BASE_URLS[provider.kind];
  }
  return providers;
}

/**
 * `providers`: the upstreams, by name. The vendors' usual variables (`OPENAI_API_KEY`, …)
 * add a provider each; with no provider enabled at all, the built-in local fake answers.
 */
export const providersSection = defineConfigSection({
  key: 'providers',
  envShortcuts: PROVIDER_SHORTCUTS,
  ownKeyedMaps: ['', '*.modelInfo'],
  build: buildProviders,
  // A missing variable only matters where it is used: disabled providers may lack keys.
  tolerateMissing: (path, providers) => {
    const name = /^([^.[]+)/.exec(path)?.[1];
    return name !== undefined && providers[name] !== undefined && !providers[name].enabled;
  },
  check: (providers, _config, context) => {
    for (const provider of Object.values(providers)) {
      if (provider.kind === 'openai-compatible' && !provider.baseUrl && provider.enabled) {
        context.report(`providers.${provider.name}.baseUrl: required for kind openai-compatible`);
      }
    }
  },
  complete: (providers, config) => {
    config.embeddedFake = !Object.values(providers).some((p) => p.enabled);
    if (!config.embeddedFake) return;
    providers[LOCAL_FAKE_PROVIDER] = Object.assign(new ProviderConfig(), {
      name: LOCAL_FAKE_PROVIDER,
      kind: 'fake',
      fake: true,
      models: ['echo', 'text-embedding-fake'],
    });
  },
});
