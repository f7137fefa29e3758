import type { RedisConnection } from '../../redis/redis-connection.service';
import {
  connectTestRedis,
  dropTestKeys,
  pttl,
  redisTestConfig,
} from '../../resilience/redis-breaker.fixtures';
import { LocalEmbedder } from './local-embedder';
import { promptFeatures } from './prompt-guards';
import type { SemanticEntry } from './semantic-index';
import { SemanticIndex } from './semantic-index';
import type { SemanticScope } from './semantic-store';
import { RedisSemanticStore } from './semantic-store';

const embedder = new LocalEmbedder();
const NOW = 1_800_000_000_000;
const scope = (key: string, tenant = 'key:t'): SemanticScope => ({ key, tenant });

function entry(text: string, exactKey: string): { vector: Float32Array; entry: SemanticEntry } {
  return {
    vector: embedder.embedSync(text),
    entry: {
      exactKey,
      features: JSON.stringify(promptFeatures(text)),
      requestId: `req-${exactKey}`,
      expiresAt: NOW + 60_000,
    },
  };
}

/** Two gateway instances: one Redis, each with its own mirror. */
describe('RedisSemanticStore (shared by instances)', () => {
  let redis: RedisConnection;
  let other: RedisConnection;
  const instance = (connection: RedisConnection, maxEntries = 100) =>
    new RedisSemanticStore(
      connection,
      new SemanticIndex(
        () => ({ maxEntriesPerScope: maxEntries, maxScopes: 100 }),
        () => NOW,
      ),
      () => maxEntries,
    );

  beforeEach(async () => {
    const config = redisTestConfig();
    redis = await connectTestRedis(config);
    other = await connectTestRedis(config);
  });
  afterEach(async () => {
    await dropTestKeys(redis);
    await redis.onModuleDestroy();
    await other.onModuleDestroy();
  });

  it('an entry stored by one instance is found by another, with its features and expiry', async () => {
    const a = instance(redis);
    const b = instance(other);
    const stored = entry('How do I negotiate a higher salary for a senior role?', 'k1');
    await a.add(scope('scope-1'), stored.vector, stored.entry, 60_000);
    const match = await b.nearest(
      scope('scope-1'),
      embedder.embedSync('how to negotiate a higher salary for a senior role'),
    );
    expect(match?.entry).toEqual(stored.entry);
    expect(match!.similarity).toBeGreaterThan(0.8);
    expect(b.entries).toBe(1);
    // Scopes stay apart.
    expect(await b.nearest(scope('scope-2'), stored.vector)).toBeUndefined();
    // The stream lives as long as its newest entry.
    const ttl = await pttl(redis, redis.key('cache', 's', 'scope-1'));
    expect(ttl).toBeGreaterThan(59_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it('a mirror reads only what is new on each lookup; a newcomer reads it all', async () => {
    const a = instance(redis);
    const b = instance(other);
    for (let i = 0; i < 30; i++) {
      const e = entry(`Question number ${i} about Kubernetes deployments`, `k${i}`);
      await a.add(scope('s'), e.vector, e.entry, 60_000);
    }
    await b.nearest(scope('s'), embedder.embedSync('x'));
    expect(b.entries).toBe(30);
    const late = entry('A completely different question about resumes', 'late');
    await a.add(scope('s'), late.vector, late.entry, 60_000);
    const match = await b.nearest(scope('s'), late.vector);
    expect(match?.entry.exactKey).toBe('late');
    expect(match!.similarity).toBeCloseTo(1, 5);
    expect(b.entries).toBe(31);
    const newcomer = instance(redis);
    expect((await newcomer.nearest(scope('s'), late.vector))?.entry.exactKey).toBe('late');
    expect(newcomer.entries).toBe(31);
  });

  it('bounds a scope: Redis trims the stream, each mirror evicts the least recently used', async () => {
    const a = instance(redis, 10);
    for (let i = 0; i < 100; i++) {
      const e = entry(`Prompt ${i} about something`, `k${i}`);
      await a.add(scope('bounded'), e.vector, e.entry, 60_000);
    }
    const mirror = instance(other, 10);
    await mirror.nearest(scope('bounded'), embedder.embedSync('anything'));
    expect(mirror.entries).toBe(10);
    // Approximate trimming keeps about the bound (a stream node's worth more at most).
    const length = Number(
      await redis.run(
        { name: 't-xlen', source: "return redis.call('XLEN', KEYS[1])" },
        [redis.key('cache', 's', 'bounded')],
        [],
      ),
    );
    expect(length).toBeGreaterThanOrEqual(10);
    expect(length).toBeLessThanOrEqual(100);
    const newest = entry('Prompt 99 about something', 'k99');
    expect((await mirror.nearest(scope('bounded'), newest.vector))?.entry.exactKey).toBe('k99');
  });
});
