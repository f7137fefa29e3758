import type { RedisConnection } from '../../redis/redis-connection.service';
import type { CachedResponse, ExactCacheStore } from '../cached-response';

/**
 * Exact entries in Redis, shared by every gateway instance: one string per entry (the
 * JSON), expiring with its TTL. Size is bounded by Redis's `maxmemory` and policy.
 * Errors propagate: the cache service turns them into a bypass.
 */
export class RedisExactCacheStore implements ExactCacheStore {
  readonly kind = 'redis';

  constructor(private readonly redis: RedisConnection) {}

  async get(key: string): Promise<CachedResponse | undefined> {
    const json = await this.redis.get(this.redis.key('cache', 'x', key));
    return json === null ? undefined : (JSON.parse(json) as CachedResponse);
  }

  async set(key: string, entry: CachedResponse, ttlMs: number): Promise<void> {
    await this.redis.setWithTtl(this.redis.key('cache', 'x', key), JSON.stringify(entry), ttlMs);
  }

  async delete(key: string): Promise<void> {
    await this.redis.del(this.redis.key('cache', 'x', key));
  }

  held(): undefined {
    return undefined;
  }
}
