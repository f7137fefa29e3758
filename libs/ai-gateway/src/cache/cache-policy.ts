import type { CacheConfig, CacheHashStrategy, SemanticMode } from '../config/cache-config.schema';
import type { CacheDirectives } from '../shared/call-result';
import type { ChatRequest } from '../types/unified';

/**
 * Why a request does not use the cache at all (`x-gateway-cache: skip`); `uncacheable`: a
 * body too deep or too large to key (library callers pass objects unchecked).
 */
export type CacheSkipReason =
  'disabled' | 'requested' | 'not-deterministic' | 'tools' | 'unavailable' | 'uncacheable';

/** What the cache may do for one request, from config, route overrides and the caller. */
export type CachePolicy =
  | { use: false; reason: CacheSkipReason }
  | {
      use: true;
      /** False for `no-cache` / `refresh`: fetch a fresh answer (and store it). */
      read: boolean;
      /** False for `no-store`. */
      store: boolean;
      /** Oldest entry acceptable (`max-age`), in ms. */
      maxAgeMs?: number;
      ttlMs: number;
      strategy: CacheHashStrategy;
      shared: boolean;
      semantic: SemanticMode;
      /** The route's semantic threshold override. */
      semanticThreshold?: number;
    };

/**
 * Decides how the cache treats a request. Safe by default: only answers meant to be
 * stable are cached (temperature 0 or a fixed seed), never tool calls unless a route
 * allows them. The caller can skip, refresh, refuse storing or bound the age of a hit.
 */
export function cachePolicyOf(
  config: CacheConfig,
  body: ChatRequest,
  directives: CacheDirectives | undefined,
): CachePolicy {
  const route = config.routes?.[body.model];
  if (!(route?.enabled ?? config.enabled) || config.backend === 'disabled') {
    return { use: false, reason: 'disabled' };
  }
  if (directives?.mode === 'skip') return { use: false, reason: 'requested' };
  const deterministic = body.temperature === 0 || typeof body.seed === 'number';
  if ((route?.requireDeterministic ?? config.requireDeterministic) && !deterministic) {
    return { use: false, reason: 'not-deterministic' };
  }
  const tools =
    (Array.isArray(body.tools) && body.tools.length > 0) ||
    (Array.isArray(body.functions) && body.functions.length > 0);
  if (tools && !(route?.allowTools ?? config.allowTools)) return { use: false, reason: 'tools' };
  return {
    use: true,
    read: directives?.mode !== 'refresh',
    store: directives?.noStore !== true,
    maxAgeMs: directives?.maxAgeSeconds === undefined ? undefined : directives.maxAgeSeconds * 1000,
    ttlMs: (route?.ttlSeconds ?? config.ttlSeconds) * 1000,
    strategy: route?.hashStrategy ?? config.hashStrategy,
    shared: route?.shared ?? config.shared,
    semantic: directives?.semantic === false ? 'off' : (route?.semantic ?? config.semantic),
    semanticThreshold: route?.semanticThreshold,
  };
}
