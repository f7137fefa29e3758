import { plainToInstance } from 'class-transformer';
import type { ValidationError } from 'class-validator';
import { validateSync } from 'class-validator';
import { readFileSync } from 'node:fs';
import { parse as parseYaml } from 'yaml';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import type { MissingVariable } from './env-interpolation';
import { interpolateEnv } from './env-interpolation';
import { ownKeyed } from './own-keyed-maps';
import { coerceScalars } from './scalar-coercion';
import type { GatewayConfig, ProviderKind } from './gateway-config.schema';
import {
  DEFAULT_BASE_URLS,
  LoggingConfig,
  ModelInfoConfig,
  ProviderConfig,
  RedisConfig,
  RouteConfig,
  RoutingConfig,
  ServerConfig,
} from './gateway-config.schema';
import { BudgetLimitsConfig, BudgetsConfig } from './budget-config.schema';
import { AuthConfig } from './auth-config.schema';
import { UsageConfig } from './usage-config.schema';
import { CacheConfig, RouteCacheConfig } from './cache-config.schema';
import { TasksConfig } from './tasks-config.schema';
import { RateLimitConfig, RateLimitsConfig } from './rate-limit-config.schema';

export type Env = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /** Inline config in the file's shape; used instead of reading a file. */
  config?: Record<string, unknown>;
  /** YAML file; defaults to `$AI_GATEWAY_CONFIG`. */
  configPath?: string;
  env?: Env;
}

/** Name of the provider added when nothing else is configured. */
export const LOCAL_FAKE_PROVIDER = 'local-fake';

const ENV_SHORTCUTS: ReadonlyArray<{
  variable: string;
  name: string;
  kind: ProviderKind;
  asBaseUrl?: boolean;
}> = [
  { variable: 'OPENAI_API_KEY', name: 'openai', kind: 'openai' },
  { variable: 'ANTHROPIC_API_KEY', name: 'anthropic', kind: 'anthropic' },
  { variable: 'GEMINI_API_KEY', name: 'gemini', kind: 'gemini' },
  { variable: 'MISTRAL_API_KEY', name: 'mistral', kind: 'mistral' },
  { variable: 'OLLAMA_BASE_URL', name: 'ollama', kind: 'ollama', asBaseUrl: true },
];

const TOP_LEVEL_KEYS = new Set([
  'server',
  'logging',
  'providers',
  'routes',
  'routing',
  'redis',
  'budgets',
  'usage',
  'auth',
  'rateLimits',
  'cache',
  'tasks',
]);

export function loadGatewayConfig(options: LoadConfigOptions = {}): GatewayConfig {
  const env = options.env ?? {};
  const path = options.configPath ?? env.AI_GATEWAY_CONFIG;
  const errors: string[] = [];

  let raw: Record<string, unknown> = {};
  if (options.config) raw = options.config;
  else if (path) raw = readYaml(path, errors);

  const missing: MissingVariable[] = [];
  const tree = coerceScalars(interpolateEnv(raw, env, missing)) as Record<string, unknown>;
  for (const key of Object.keys(tree)) {
    if (!TOP_LEVEL_KEYS.has(key)) errors.push(`${key}: unknown key`);
  }

  const server = build(
    ServerConfig,
    { ...asObject(tree.server, 'server', errors) },
    'server',
    errors,
  );
  if (env.PORT !== undefined && env.PORT !== '') {
    const port = Number(env.PORT);
    if (Number.isInteger(port) && port >= 0 && port < 65_536) server.port = port;
    else errors.push(`PORT: must be an integer between 0 and 65535 (got "${env.PORT}")`);
  }
  const logging = build(
    LoggingConfig,
    { ...asObject(tree.logging, 'logging', errors) },
    'logging',
    errors,
  );

  const providers = ownKeyed<ProviderConfig>();
  for (const [name, value] of Object.entries(asObject(tree.providers, 'providers', errors))) {
    const entry: Record<string, unknown> = {
      ...asObject(value, `providers.${name}`, errors),
      name,
    };
    if (typeof entry.apiKeys === 'string') entry.apiKeys = [entry.apiKeys];
    if (entry.apiKey !== undefined) {
      entry.apiKeys = [entry.apiKey, ...((entry.apiKeys as unknown[] | undefined) ?? [])];
      delete entry.apiKey;
    }
    if (Array.isArray(entry.apiKeys))
      entry.apiKeys = entry.apiKeys.filter((key: unknown) => key !== '');
    providers[name] = build(ProviderConfig, entry, `providers.${name}`, errors);
  }
  for (const shortcut of ENV_SHORTCUTS) {
    const value = env[shortcut.variable];
    if (!value || providers[shortcut.name]) continue;
    providers[shortcut.name] = build(
      ProviderConfig,
      shortcut.asBaseUrl
        ? { name: shortcut.name, kind: shortcut.kind, baseUrl: value }
        : { name: shortcut.name, kind: shortcut.kind, apiKeys: [value] },
      shortcut.variable,
      errors,
    );
  }
  for (const provider of Object.values(providers)) {
    const info = ownKeyed<ModelInfoConfig>();
    for (const [model, value] of Object.entries(
      asObject(provider.modelInfo, `providers.${provider.name}.modelInfo`, errors),
    )) {
      const path = `providers.${provider.name}.modelInfo.${model}`;
      info[model] = build(ModelInfoConfig, { ...asObject(value, path, errors) }, path, errors);
    }
    provider.modelInfo = info;
    provider.baseUrl ??= DEFAULT_BASE_URLS[provider.kind];
    if (provider.kind === 'openai-compatible' && !provider.baseUrl && provider.enabled) {
      errors.push(`providers.${provider.name}.baseUrl: required for kind openai-compatible`);
    }
  }

  // A missing variable only matters where it is used: disabled providers may lack keys.
  for (const item of missing) {
    const provider = /^providers\.([^.[]+)/.exec(item.path)?.[1];
    if (provider && providers[provider] && !providers[provider].enabled) continue;
    errors.push(`${item.path}: environment variable ${item.variable} is not set`);
  }

  const routes = ownKeyed<RouteConfig>();
  for (const [name, value] of Object.entries(asObject(tree.routes, 'routes', errors))) {
    const entry = Array.isArray(value)
      ? { targets: value }
      : asObject(value, `routes.${name}`, errors);
    const route = build(RouteConfig, { ...entry, name }, `routes.${name}`, errors);
    routes[name] = route;
    if (route.weights && route.weights.length !== route.targets.length) {
      errors.push(`routes.${name}.weights: needs one weight per target (${route.targets.length})`);
    }
    if (route.strategy === 'weighted' && !route.weights) {
      errors.push(`routes.${name}.weights: required by the weighted strategy`);
    }
    route.targets.forEach((target, index) => {
      const provider = target.split('/')[0];
      if (!providers[provider]) {
        errors.push(
          `routes.${name}.targets[${index}]: unknown provider "${provider}" in "${target}"`,
        );
      }
    });
  }

  const routing = build(
    RoutingConfig,
    { ...asObject(tree.routing, 'routing', errors) },
    'routing',
    errors,
  );
  const budgets = build(
    BudgetsConfig,
    { ...asObject(tree.budgets, 'budgets', errors) },
    'budgets',
    errors,
  );
  for (const owner of ['users', 'teams'] as const) {
    const limits = ownKeyed<BudgetLimitsConfig>();
    for (const [id, value] of Object.entries(
      asObject(budgets[owner], `budgets.${owner}`, errors),
    )) {
      const path = `budgets.${owner}.${id}`;
      limits[id] = build(BudgetLimitsConfig, { ...asObject(value, path, errors) }, path, errors);
    }
    budgets[owner] = limits;
  }
  const rateLimits = build(
    RateLimitsConfig,
    { ...asObject(tree.rateLimits, 'rateLimits', errors) },
    'rateLimits',
    errors,
  );
  for (const owner of ['users', 'teams', 'models'] as const) {
    const limits = ownKeyed<RateLimitConfig>();
    for (const [id, value] of Object.entries(
      asObject(rateLimits[owner], `rateLimits.${owner}`, errors),
    )) {
      const path = `rateLimits.${owner}.${id}`;
      limits[id] = build(RateLimitConfig, { ...asObject(value, path, errors) }, path, errors);
    }
    rateLimits[owner] = limits;
  }
  const cache = build(CacheConfig, { ...asObject(tree.cache, 'cache', errors) }, 'cache', errors);
  const cacheRoutes = ownKeyed<RouteCacheConfig>();
  for (const [name, value] of Object.entries(asObject(cache.routes, 'cache.routes', errors))) {
    const path = `cache.routes.${name}`;
    cacheRoutes[name] = build(RouteCacheConfig, { ...asObject(value, path, errors) }, path, errors);
  }
  cache.routes = cacheRoutes;
  const usageSection = { ...asObject(tree.usage, 'usage', errors) };
  if (env.DATABASE_URL && usageSection.databaseUrl === undefined) {
    usageSection.databaseUrl = env.DATABASE_URL;
  }
  const usage = build(UsageConfig, usageSection, 'usage', errors);
  const authSection = { ...asObject(tree.auth, 'auth', errors) };
  if (env.GATEWAY_ADMIN_KEY && authSection.adminKey === undefined) {
    authSection.adminKey = env.GATEWAY_ADMIN_KEY;
  }
  if (env.GATEWAY_KEY_SECRET && authSection.hashSecret === undefined) {
    authSection.hashSecret = env.GATEWAY_KEY_SECRET;
  }
  const auth = build(AuthConfig, authSection, 'auth', errors);
  if ((auth.enabled || auth.adminKey) && !auth.hashSecret) {
    errors.push(
      'auth.hashSecret: required when auth is enabled or an admin key is set (or GATEWAY_KEY_SECRET)',
    );
  }
  const redisSection = { ...asObject(tree.redis, 'redis', errors) };
  if (env.REDIS_URL && redisSection.url === undefined) redisSection.url = env.REDIS_URL;
  const redisConfig = build(RedisConfig, redisSection, 'redis', errors);
  const redis = redisConfig.url ? redisConfig : undefined;
  if (cache.backend === 'redis' && !redis) {
    errors.push(
      'cache.backend: redis needs redis.url (or REDIS_URL); use auto or memory without one',
    );
  }

  const tasks = build(TasksConfig, { ...asObject(tree.tasks, 'tasks', errors) }, 'tasks', errors);
  const taskRoutes = ownKeyed<string>();
  for (const [type, model] of Object.entries(asObject(tasks.routes, 'tasks.routes', errors))) {
    if (typeof model !== 'string' || model === '') {
      errors.push(`tasks.routes.${type}: must be a model or route name`);
    } else taskRoutes[type] = model;
  }
  tasks.routes = taskRoutes;
  if (tasks.queue.driver === 'bullmq' && !tasks.queue.redisUrl && !redis) {
    errors.push(
      'tasks.queue.driver: bullmq needs tasks.queue.redisUrl or redis.url (or REDIS_URL); use auto or in-process without one',
    );
  }

  let embeddedFake = false;
  if (!Object.values(providers).some((p) => p.enabled) && errors.length === 0) {
    embeddedFake = true;
    providers[LOCAL_FAKE_PROVIDER] = build(
      ProviderConfig,
      {
        name: LOCAL_FAKE_PROVIDER,
        kind: 'fake',
        fake: true,
        models: ['echo', 'text-embedding-fake'],
      },
      LOCAL_FAKE_PROVIDER,
      errors,
    );
  }

  if (errors.length > 0) {
    throw new GatewayError(
      GatewayErrorCode.INVALID_CONFIG,
      `Invalid gateway configuration:\n  - ${errors.join('\n  - ')}`,
    );
  }
  return {
    server,
    logging,
    providers,
    routes,
    routing,
    budgets,
    rateLimits,
    cache,
    usage,
    auth,
    redis,
    tasks,
    embeddedFake,
  };
}

function readYaml(path: string, errors: string[]): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    errors.push(`${path}: cannot read (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    return {};
  }
  try {
    const parsed: unknown = parseYaml(text);
    if (parsed === null || parsed === undefined) return {};
    return asObject(parsed, path, errors);
  } catch (error) {
    errors.push(`${path}: invalid YAML (${(error as Error).message.split('\n')[0]})`);
    return {};
  }
}

function asObject(value: unknown, path: string, errors: string[]): Record<string, unknown> {
  if (value === undefined || value === null) return {};
  if (typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  errors.push(`${path}: must be a mapping`);
  return {};
}

function build<T extends object>(
  type: new () => T,
  plain: Record<string, unknown>,
  path: string,
  errors: string[],
): T {
  const instance = plainToInstance(type, plain);
  // Whitelisting reports keys the schema does not know, at any depth, as "unknown key".
  const options = { forbidUnknownValues: false, whitelist: true, forbidNonWhitelisted: true };
  for (const error of validateSync(instance, options)) {
    collect(error, path, errors);
  }
  return instance;
}

function collect(error: ValidationError, path: string, errors: string[]): void {
  const here = `${path}.${error.property}`;
  for (const [rule, message] of Object.entries(error.constraints ?? {})) {
    errors.push(`${here}: ${rule === 'whitelistValidation' ? 'unknown key' : message}`);
  }
  for (const child of error.children ?? []) collect(child, here, errors);
}
