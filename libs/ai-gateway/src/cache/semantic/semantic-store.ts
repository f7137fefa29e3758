import type { LuaScript, RedisConnection } from '../../redis/redis-connection.service';
import type { SemanticEntry, SemanticIndex, SemanticMatch } from './semantic-index';

/** A semantic scope: its key (a hash) and the tenant it belongs to (bounds its scopes). */
export interface SemanticScope {
  key: string;
  tenant: string;
}

/**
 * Semantic entries by scope. In memory the index is the store; with Redis every
 * instance keeps its index as a mirror of one Redis stream per scope, so entries stored
 * by one instance are found by all.
 */
export interface SemanticStore {
  readonly kind: 'memory' | 'redis';
  /** Entries held in this instance (the mirror's, with Redis). */
  readonly entries: number;
  /** Bytes this instance holds for them (the mirror's, with Redis): vectors and indexes. */
  readonly bytes: number;
  nearest(scope: SemanticScope, vector: Float32Array): Promise<SemanticMatch | undefined>;
  add(
    scope: SemanticScope,
    vector: Float32Array,
    entry: SemanticEntry,
    ttlMs: number,
  ): Promise<void>;
  /** The entry's answer is gone: stop matching it. */
  forget(scope: SemanticScope, exactKey: string): void;
}

export class MemorySemanticStore implements SemanticStore {
  readonly kind = 'memory';

  constructor(private readonly index: SemanticIndex) {}

  get entries(): number {
    return this.index.entryCount;
  }

  get bytes(): number {
    return this.index.approxBytes();
  }

  nearest(scope: SemanticScope, vector: Float32Array): Promise<SemanticMatch | undefined> {
    return Promise.resolve(this.index.nearest(scope.key, vector));
  }

  add(scope: SemanticScope, vector: Float32Array, entry: SemanticEntry): Promise<void> {
    this.index.add(scope.key, vector, entry, scope.tenant);
    return Promise.resolve();
  }

  forget(scope: SemanticScope, exactKey: string): void {
    this.index.remove(scope.key, exactKey);
  }
}

/**
 * Appends an entry to a scope's stream, trims the stream to about the scope's bound
 * (oldest first) and extends its life to the entry's TTL — one atomic step.
 */
const APPEND_SCRIPT: LuaScript = {
  name: 'semantic-append',
  source: `
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[1], '*',
  'v', ARGV[2], 'k', ARGV[3], 'f', ARGV[4], 'r', ARGV[5], 'e', ARGV[6])
local ttl = tonumber(ARGV[7])
if redis.call('PTTL', KEYS[1]) < ttl then redis.call('PEXPIRE', KEYS[1], ttl) end
return id`,
};

/** Stream entries read per lookup while a mirror catches up (bounds one lookup's work). */
const SYNC_BATCH = 1_000;

/**
 * Semantic entries in Redis, one stream per scope (`cache:s:<scope>`): each record holds
 * the vector (base64 float32), the exact key of the answer, the guard features, the
 * storing request id and the expiry. Each instance mirrors the streams it searches in
 * its {@link SemanticIndex}: a lookup first reads what was appended since its last read
 * (one XRANGE), then searches locally. Redis bounds a scope to about `maxEntriesPerScope`
 * records (oldest out first) and drops an idle scope with its TTL; each mirror also evicts
 * least recently used entries at that bound.
 */
export class RedisSemanticStore implements SemanticStore {
  readonly kind = 'redis';
  /** Last stream id read per mirrored scope. */
  private readonly cursors = new Map<string, string>();

  constructor(
    private readonly redis: RedisConnection,
    private readonly index: SemanticIndex,
    private readonly maxEntriesPerScope: () => number,
  ) {}

  get entries(): number {
    return this.index.entryCount;
  }

  get bytes(): number {
    return this.index.approxBytes();
  }

  async nearest(scope: SemanticScope, vector: Float32Array): Promise<SemanticMatch | undefined> {
    await this.sync(scope);
    return this.index.nearest(scope.key, vector);
  }

  async add(
    scope: SemanticScope,
    vector: Float32Array,
    entry: SemanticEntry,
    ttlMs: number,
  ): Promise<void> {
    await this.redis.run(
      APPEND_SCRIPT,
      [this.streamKey(scope.key)],
      [
        this.maxEntriesPerScope(),
        Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength).toString('base64'),
        entry.exactKey,
        entry.features,
        entry.requestId,
        entry.expiresAt,
        Math.max(1, Math.round(ttlMs)),
      ],
    );
  }

  forget(scope: SemanticScope, exactKey: string): void {
    this.index.remove(scope.key, exactKey);
  }

  private async sync({ key: scope, tenant }: SemanticScope): Promise<void> {
    // A scope the index evicted is read again from the start.
    const after = this.index.has(scope) ? (this.cursors.get(scope) ?? '0') : '0';
    const records = await this.redis.readStream(this.streamKey(scope), after, SYNC_BATCH);
    for (const [id, fields] of records) {
      const record = fieldsOf(fields);
      // Copied: a decoded Buffer may sit at an offset a Float32Array cannot start at.
      const bytes = new Uint8Array(Buffer.from(record.v ?? '', 'base64'));
      this.index.add(
        scope,
        new Float32Array(bytes.buffer, 0, bytes.byteLength >> 2),
        {
          exactKey: record.k ?? '',
          features: record.f ?? '{}',
          requestId: record.r ?? '',
          expiresAt: Number(record.e ?? 0),
        },
        tenant,
      );
      this.cursors.set(scope, id);
    }
    // A cursor counts only while the index holds its scope: forget those of evicted ones.
    if (this.cursors.size > this.index.scopeCount * 2 + 16) {
      for (const key of this.cursors.keys()) {
        if (!this.index.has(key)) this.cursors.delete(key);
      }
    }
  }

  private streamKey(scope: string): string {
    return this.redis.key('cache', 's', scope);
  }
}

function fieldsOf(flat: string[]): Record<string, string> {
  const record: Record<string, string> = {};
  for (let i = 0; i + 1 < flat.length; i += 2) record[flat[i]] = flat[i + 1];
  return record;
}

/** Injection token of the {@link SemanticStore} chosen with the exact store's backend. */
export const SEMANTIC_STORE = Symbol('SEMANTIC_STORE');
