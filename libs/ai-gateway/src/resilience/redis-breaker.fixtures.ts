import { randomBytes } from 'node:crypto';
import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import { RedisConnection } from '../redis/redis-connection.service';

/** The machine's Redis, used by the integration specs. */
export const TEST_REDIS_URL = 'redis://127.0.0.1:6379';

/** A config with Redis under a fresh `test:<random>:` prefix (plus any other sections). */
export function redisTestConfig(
  url = TEST_REDIS_URL,
  extra: Record<string, unknown> = {},
): GatewayConfigService {
  const keyPrefix = `test:${randomBytes(6).toString('hex')}:`;
  return new GatewayConfigService(
    loadGatewayConfig({ config: { ...extra, redis: { url, keyPrefix } }, env: {} }),
  );
}

/** Connects to Redis and waits until it is ready (commands fail fast before that). */
export async function connectTestRedis(
  config: GatewayConfigService = redisTestConfig(),
): Promise<RedisConnection> {
  const redis = new RedisConnection(config);
  for (let waited = 0; !redis.ready; waited += 10) {
    if (waited > 3_000) throw new Error('test Redis is not ready after 3 s');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return redis;
}

/** Deletes every key under the connection's test prefix (tests only: KEYS is fine here). */
export async function dropTestKeys(redis: RedisConnection): Promise<void> {
  await redis.run(
    {
      name: 'test-drop-prefix',
      source: `
local keys = redis.call('KEYS', ARGV[1])
for i = 1, #keys do redis.call('DEL', keys[i]) end
return #keys`,
    },
    [],
    [`${redis.key()}*`],
  );
}

/** Milliseconds before a key expires (-1 without expiry, -2 when absent). */
export async function pttl(redis: RedisConnection, key: string): Promise<number> {
  return Number(
    await redis.run({ name: 'test-pttl', source: "return redis.call('PTTL', KEYS[1])" }, [key], []),
  );
}
