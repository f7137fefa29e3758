import type { UsageBuffer, UsageBufferClaim } from './usage-buffer';
import type { UsageRow } from './usage-row';

/**
 * A {@link UsageBuffer} in process memory: bounded, not durable. For tests and for
 * setups that accept losing buffered rows with the process.
 */
export class MemoryUsageBuffer implements UsageBuffer {
  readonly kind = 'memory';
  private rows: UsageRow[] = [];
  private readonly claims = new Map<string, readonly UsageRow[]>();
  private sequence = 0;

  constructor(private readonly limit: number) {}

  push(rows: readonly UsageRow[]): Promise<number> {
    const accepted = Math.max(0, Math.min(rows.length, this.limit - this.rows.length));
    for (let i = 0; i < accepted; i++) this.rows.push(rows[i]);
    return Promise.resolve(accepted);
  }

  claim(max: number): Promise<UsageBufferClaim | undefined> {
    if (this.rows.length === 0) return Promise.resolve(undefined);
    const rows = this.rows.splice(0, max);
    const token = String(++this.sequence);
    this.claims.set(token, rows);
    return Promise.resolve({ token, rows });
  }

  ack(claim: UsageBufferClaim): Promise<void> {
    this.claims.delete(claim.token);
    return Promise.resolve();
  }

  release(claim: UsageBufferClaim): Promise<void> {
    const rows = this.claims.get(claim.token);
    this.claims.delete(claim.token);
    if (rows) this.rows.unshift(...rows);
    return Promise.resolve();
  }

  size(): Promise<number> {
    return Promise.resolve(this.rows.length);
  }
}
