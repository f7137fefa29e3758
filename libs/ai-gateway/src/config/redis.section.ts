import { defineConfigSection, fieldFromEnv } from './config-section';
import { RedisConfig } from './redis-config.schema';

/**
 * `redis`: shared state for every instance. Its value is absent (`config.redis` undefined)
 * unless a URL is configured, so consumers test one thing: is there a Redis.
 */
export const redisSection = defineConfigSection({
  key: 'redis',
  envShortcuts: [fieldFromEnv('REDIS_URL', 'url')],
  build: (section, context): RedisConfig | undefined => {
    const redis = context.validate(RedisConfig, section, 'redis');
    return redis.url ? redis : undefined;
  },
});
