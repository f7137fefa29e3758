import { randomUUID } from 'node:crypto';
import type { RedisConnection } from '../redis/redis-connection.service';
import type { Clock } from '../shared/clock';
import type { UsageBuffer, UsageBufferClaim } from './usage-buffer';
import { parseBufferedRow } from './usage-buffer';
import {
  ACK_SCRIPT,
  CLAIM_SCRIPT,
  PUSH_SCRIPT,
  RELEASE_SCRIPT,
  SIZE_SCRIPT,
} from './usage-buffer.lua';
import type { UsageRow } from './usage-row';

/** Options of {@link RedisUsageBuffer}. */
export interface RedisUsageBufferOptions {
  /** Rows the list may hold. */
  limit: number;
  /** How long a claim may stay unacknowledged before another drain puts its rows back. */
  leaseMs?: number;
  /** Prefix of claim tokens; unique per instance (random by default). */
  instanceId?: string;
}

/**
 * The {@link UsageBuffer} shared by every gateway instance: a Redis list under
 * `<prefix>usage:buffer`, claims under a lease so that any instance can drain what
 * another one buffered, and rows claimed by a crashed instance return after the lease.
 * Every change is one Lua script.
 */
export class RedisUsageBuffer implements UsageBuffer {
  readonly kind = 'redis';
  private readonly keys: [string, string, string];
  private readonly leaseMs: number;
  private readonly instanceId: string;
  private sequence = 0;

  constructor(
    private readonly redis: RedisConnection,
    private readonly clock: Clock,
    private readonly options: RedisUsageBufferOptions,
  ) {
    this.keys = [
      redis.key('usage', 'buffer'),
      redis.key('usage', 'claims'),
      redis.key('usage', 'leases'),
    ];
    this.leaseMs = options.leaseMs ?? 60_000;
    this.instanceId = options.instanceId ?? randomUUID();
  }

  async push(rows: readonly UsageRow[]): Promise<number> {
    if (rows.length === 0) return 0;
    const args = [this.options.limit, ...rows.map((row) => JSON.stringify(row))];
    return Number(await this.redis.run(PUSH_SCRIPT, [this.keys[0]], args));
  }

  async claim(max: number): Promise<UsageBufferClaim | undefined> {
    const token = `${this.instanceId}:${++this.sequence}`;
    const raw = (await this.redis.run(CLAIM_SCRIPT, this.keys, [
      max,
      this.clock.now(),
      this.leaseMs,
      token,
    ])) as string[];
    if (raw.length === 0) return undefined;
    const rows: UsageRow[] = [];
    for (const entry of raw) {
      const row = parseBufferedRow(entry);
      if (row) rows.push(row);
    }
    return { token, rows, unreadable: raw.length - rows.length };
  }

  async ack(claim: UsageBufferClaim): Promise<void> {
    await this.redis.run(ACK_SCRIPT, this.keys, [claim.token]);
  }

  async release(claim: UsageBufferClaim): Promise<void> {
    await this.redis.run(RELEASE_SCRIPT, this.keys, [claim.token]);
  }

  async size(): Promise<number> {
    return Number(await this.redis.run(SIZE_SCRIPT, [this.keys[0]], []));
  }
}
