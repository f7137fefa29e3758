import { GatewayConfigService, RedisConnection, loadGatewayConfig } from '@ai-gateway/core';
import { pollUntil } from './gateway-process';

/** The machine's Redis, shared by the gateway processes of the e2e specs. */
export const REDIS_URL = 'redis://127.0.0.1:6379';

/**
 * A test's own view of Redis under one run's key prefix: what the gateway processes
 * stored there (budgets, the usage buffer), read-only but for the clean-up.
 */
export class TestRedis {
  private constructor(private readonly redis: RedisConnection) {}

  /** Connects under `keyPrefix` and waits until Redis is ready. */
  static async open(keyPrefix: string): Promise<TestRedis> {
    // The test's own reads may wait behind a loaded machine: not the gateway's 200 ms.
    const config = loadGatewayConfig({
      config: { redis: { url: REDIS_URL, keyPrefix, commandTimeoutMs: 10_000 } },
      env: {},
    });
    const redis = new RedisConnection(new GatewayConfigService(config));
    await pollUntil(
      () => redis.ready,
      (ready) => ready,
      { timeoutMs: 5_000, everyMs: 10 },
    );
    return new TestRedis(redis);
  }

  /** A user's spent and reserved µ$, summed over its budget levels (as the gateways stored them). */
  async budget(user: string): Promise<{ spent: number; reserved: number }> {
    const [spent, reserved] = (await this.redis.run(
      {
        name: 'test-budget-sum',
        source: `
local spent, reserved = 0, 0
for _, key in ipairs(redis.call('KEYS', ARGV[1])) do
  if string.sub(key, -4) ~= ':res' then
    local v = redis.call('HMGET', key, 'spent', 'reserved')
    spent = spent + (tonumber(v[1]) or 0)
    reserved = reserved + (tonumber(v[2]) or 0)
  end
end
return {spent, reserved}`,
      },
      [],
      [`${this.redis.key('budget', 'user', user)}:*`],
    )) as [number, number];
    return { spent, reserved };
  }

  /** Usage rows waiting in the durable buffer. */
  async bufferedRows(): Promise<number> {
    const source = "return redis.call('LLEN', KEYS[1])";
    return Number(
      await this.redis.run({ name: 'test-llen', source }, [this.redis.key('usage', 'buffer')], []),
    );
  }

  /** Deletes every key of the run and disconnects (tests only: KEYS is fine here). */
  async close(): Promise<void> {
    const source = `
local keys = redis.call('KEYS', ARGV[1])
for i = 1, #keys do redis.call('DEL', keys[i]) end
return #keys`;
    await this.redis.run({ name: 'test-drop-prefix', source }, [], [`${this.redis.key()}*`]);
    await this.redis.onModuleDestroy();
  }
}
