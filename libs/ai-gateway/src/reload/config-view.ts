import { canonicalJson, canonicalSha256 } from '../cache/canonical-json';
import { CREDENTIAL_HEADER, knownSecrets } from '../errors/known-secrets';
import type { GatewayConfig } from '../config/gateway-config.schema';

/** Shown in place of a secret in `GET /v1/admin/config`. */
export const REDACTED = '[redacted]';

/**
 * Settings read once at start-up — the HTTP server, where the stores live, the Redis a
 * fleet shares, the queue's name — that a reload cannot change: a file that changes one
 * of them is refused whole, never half-applied.
 */
export const RESTART_ONLY: ReadonlyArray<readonly string[]> = [
  ['server'],
  ['otel'],
  ['usage', 'databaseUrl'],
  ['usage', 'schema'],
  ['usage', 'store'],
  ['usage', 'dataDir'],
  ['usage', 'sqlitePath'],
  ['usage', 'sqliteBinding'],
  ['usage', 'bufferFile'],
  ['redis', 'url'],
  ['redis', 'keyPrefix'],
  ['tasks', 'queue', 'prefix'],
];

/** Field names whose string values are credentials wherever they appear. */
const SECRET_FIELD = /^(apiKeys?|adminKey|hashSecret|secret|metricsToken|password|token)$/i;

/**
 * The version of a configuration: the first 16 hex digits of SHA-256 over the canonical
 * JSON of what a reload can change. The restart-only settings are left out: they are fixed
 * for the process, and some differ per instance (the port from `PORT`), so instances on the
 * same file show the same version.
 */
export function configVersion(config: GatewayConfig): string {
  const reloadable = structuredClone(config) as unknown as Record<string, unknown>;
  for (const path of RESTART_ONLY) {
    const parent = valueAt(reloadable, path.slice(0, -1)) as Record<string, unknown> | undefined;
    if (parent && typeof parent === 'object') delete parent[path[path.length - 1]];
  }
  return (canonicalSha256('gateway-config\u0000', reloadable) ?? 'unhashable').slice(0, 16);
}

/** The restart-only settings (dotted paths) whose values differ between two configurations. */
export function restartOnlyChanges(previous: GatewayConfig, next: GatewayConfig): string[] {
  return RESTART_ONLY.filter(
    (path) => canonicalJson(valueAt(previous, path)) !== canonicalJson(valueAt(next, path)),
  ).map((path) => path.join('.'));
}

/**
 * The configuration as an operator may see it: every credential replaced by
 * {@link REDACTED} (keys, secrets, tokens, credential headers, the password of a URL), and
 * any other text holding a secret the process knows, in case one hides in another field.
 */
export function redactedConfig(config: GatewayConfig): unknown {
  const secrets = knownSecrets.list();
  const walk = (value: unknown, field: string, inHeaders: boolean): unknown => {
    if (typeof value === 'string') {
      if (SECRET_FIELD.test(field) || (inHeaders && CREDENTIAL_HEADER.test(field))) {
        return REDACTED;
      }
      if (secrets.some((secret) => value.includes(secret))) return REDACTED;
      return /^[a-z][a-z0-9+.-]*:\/\/[^/@\s]*:[^/@\s]*@/i.test(value)
        ? value.replace(/(\/\/[^/:@\s]*):[^/@\s]*@/, `$1:${REDACTED}@`)
        : value;
    }
    if (Array.isArray(value)) {
      return value.map((item) => (SECRET_FIELD.test(field) ? REDACTED : walk(item, field, false)));
    }
    if (value && typeof value === 'object') {
      return Object.fromEntries(
        Object.entries(value).map(([key, item]) => [key, walk(item, key, field === 'headers')]),
      );
    }
    return value;
  };
  return walk(config, '', false);
}

function valueAt(config: unknown, path: readonly string[]): unknown {
  let value = config;
  for (const part of path) {
    if (!value || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}
