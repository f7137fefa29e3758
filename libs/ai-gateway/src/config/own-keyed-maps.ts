import type { ConfigSection } from './config-section';
import { GATEWAY_CONFIG_SECTIONS } from './gateway-config.sections';
import type { GatewayConfig } from './gateway-config.schema';
import { ownKeyed } from './own-keyed';

export { ownKeyed } from './own-keyed';

/**
 * Gives every name-keyed map of a configuration no prototype, as the loader builds them:
 * for configurations built elsewhere (a host's `resolvedConfig`, a reload). The maps are
 * the ones each section declares (`ConfigSection.ownKeyedMaps`). In place, so references
 * to the maps stay valid; a frozen map is replaced by a copy. Returns `config`.
 */
export function withOwnKeyedMaps(
  config: GatewayConfig,
  sections: readonly ConfigSection[] = GATEWAY_CONFIG_SECTIONS,
): GatewayConfig {
  const root = config as unknown as Record<string, unknown>;
  for (const section of sections) {
    for (const path of section.ownKeyedMaps ?? []) {
      hardenAt(root, [section.key, ...(path === '' ? [] : path.split('.'))]);
    }
  }
  return config;
}

/** Hardens the map at `path` under `parent`; `*` stands for every entry of a map. */
function hardenAt(parent: Record<string, unknown>, path: readonly string[]): void {
  const [key, ...rest] = path;
  const names = key === '*' ? Object.keys(parent) : [key];
  for (const name of names) {
    if (rest.length === 0) harden(parent, name);
    else if (isObject(parent[name])) hardenAt(parent[name], rest);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object';
}

function harden(parent: Record<string, unknown>, key: string): void {
  const map = parent[key];
  if (!isObject(map) || Object.getPrototypeOf(map) === null) return;
  if (Object.isExtensible(map)) Object.setPrototypeOf(map, null);
  else parent[key] = Object.assign(ownKeyed<unknown>(), map);
}
