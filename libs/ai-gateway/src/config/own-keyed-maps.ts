import type { GatewayConfig } from './gateway-config.schema';

/**
 * A config map keyed by names that requests look up (users, teams, routes, models,
 * providers, …): no prototype, so `toString`, `constructor` or `__proto__` is just
 * another unknown name, never an inherited function that skips a default budget or limit.
 */
export function ownKeyed<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>;
}

/**
 * Gives every name-keyed map of a configuration no prototype, as the loader builds them:
 * for configurations built elsewhere (a host's `resolvedConfig`, a reload). In place, so
 * references to the maps stay valid; a frozen map is replaced by a copy. Returns `config`.
 */
export function withOwnKeyedMaps(config: GatewayConfig): GatewayConfig {
  const partial = config as Partial<GatewayConfig>;
  harden(partial, 'providers');
  for (const provider of Object.values(partial.providers ?? {})) harden(provider, 'modelInfo');
  harden(partial, 'routes');
  if (partial.budgets)
    for (const owner of ['users', 'teams'] as const) harden(partial.budgets, owner);
  if (partial.rateLimits) {
    for (const owner of ['users', 'teams', 'models'] as const) harden(partial.rateLimits, owner);
  }
  if (partial.cache) harden(partial.cache, 'routes');
  if (partial.tasks) harden(partial.tasks, 'routes');
  return config;
}

function harden<K extends string>(parent: Partial<Record<K, unknown>>, key: K): void {
  const map = parent[key];
  if (map === null || typeof map !== 'object' || Object.getPrototypeOf(map) === null) return;
  if (Object.isExtensible(map)) Object.setPrototypeOf(map, null);
  else parent[key] = Object.assign(ownKeyed<unknown>(), map);
}
