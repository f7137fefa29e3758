import type { Provider } from '@nestjs/common';
import { GatewayConfigService } from '../config/gateway-config.service';
import { RedisConnection } from '../redis/redis-connection.service';
import type { Clock } from '../shared/clock';
import { CLOCK } from '../shared/clock';
import { CacheMetrics } from './cache.metrics';
import type { ExactCacheStore } from './cached-response';
import { EXACT_CACHE_STORE } from './cached-response';
import { MemoryExactCacheStore } from './exact/memory-exact-cache.store';
import { RedisExactCacheStore } from './exact/redis-exact-cache.store';
import { ResponseCache } from './response-cache.service';
import type { SemanticIndexLimits } from './semantic/semantic-index';
import { SemanticIndex } from './semantic/semantic-index';
import { SemanticLayer } from './semantic/semantic-layer';
import type { SemanticStore } from './semantic/semantic-store';
import { MemorySemanticStore, RedisSemanticStore, SEMANTIC_STORE } from './semantic/semantic-store';

const MB = 1024 * 1024;

/** Redis when the backend says so or (`auto`) when Redis is configured; memory otherwise. */
function usesRedis(config: GatewayConfigService, redis: RedisConnection): boolean {
  const backend = config.current.cache.backend;
  return backend === 'redis' || (backend === 'auto' && redis.enabled);
}

export function createExactCacheStore(
  config: GatewayConfigService,
  redis: RedisConnection,
  clock: Clock,
): ExactCacheStore {
  if (usesRedis(config, redis)) return new RedisExactCacheStore(redis);
  return new MemoryExactCacheStore(() => config.current.cache.maxSizeMb * MB, clock);
}

export function createSemanticStore(
  config: GatewayConfigService,
  redis: RedisConnection,
  clock: Clock,
): SemanticStore {
  const settings = (): SemanticIndexLimits => config.current.cache.semanticCache;
  const index = new SemanticIndex(settings, () => clock.now());
  return usesRedis(config, redis)
    ? new RedisSemanticStore(redis, index, () => settings().maxEntriesPerScope)
    : new MemorySemanticStore(index);
}

/**
 * Providers of the response cache, for `AiGatewayModule` (which also binds
 * `EMBEDDINGS_SOURCE`, the path provider embedders take). The backend is chosen once,
 * at module creation (`cache.backend`); TTLs, strategies, thresholds and modes are read
 * per request, so a reload applies them at once.
 */
export const cacheProviders: Provider[] = [
  {
    provide: EXACT_CACHE_STORE,
    inject: [GatewayConfigService, RedisConnection, CLOCK],
    useFactory: createExactCacheStore,
  },
  {
    provide: SEMANTIC_STORE,
    inject: [GatewayConfigService, RedisConnection, CLOCK],
    useFactory: createSemanticStore,
  },
  CacheMetrics,
  SemanticLayer,
  ResponseCache,
];
