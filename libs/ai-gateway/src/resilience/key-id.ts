import { createHash } from 'node:crypto';

const cache = new WeakMap<readonly string[], string[]>();

/**
 * A stable, non-secret name for an API key: `k-` + the first 8 hex digits of its
 * SHA-256. It depends on the key alone (not its position), so reordering or removing
 * other keys on a reload keeps every key's circuit; 32 bits of a hash reveal nothing
 * usable about a key.
 */
export function keyIdOf(key: string): string {
  return `k-${createHash('sha256').update(key).digest('hex').slice(0, 8)}`;
}

/**
 * The ids of a provider's `apiKeys`, in the same order. Cached per array: a config
 * reload brings new arrays, so rotated keys drop out with the old config.
 */
export function keyIdsOf(keys: readonly string[]): string[] {
  let ids = cache.get(keys);
  if (!ids) {
    ids = keys.map(keyIdOf);
    cache.set(keys, ids);
  }
  return ids;
}
