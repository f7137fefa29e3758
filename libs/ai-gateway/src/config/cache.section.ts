import { CacheConfig, RouteCacheConfig } from './cache-config.schema';
import { defineConfigSection } from './config-section';

/** `cache`: the response cache, exact and semantic, with per-route overrides. */
export const cacheSection = defineConfigSection({
  key: 'cache',
  ownKeyedMaps: ['routes'],
  build: (section, context) => {
    const cache = context.validate(CacheConfig, section, 'cache');
    cache.routes = context.keyedMap(RouteCacheConfig, cache.routes, 'cache.routes');
    return cache;
  },
  check: (cache, { redis }, context) => {
    if (cache.backend === 'redis' && !redis) {
      context.report(
        'cache.backend: redis needs redis.url (or REDIS_URL); use auto or memory without one',
      );
    }
  },
});
