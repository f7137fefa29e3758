import { Injectable } from '@nestjs/common';
import type { ProviderConfig } from '../config/gateway-config.schema';

/** Share of a provider's pool one caller may hold when `maxConnectionsPerCaller` is unset. */
export const DEFAULT_CALLER_POOL_SHARE = 0.25;

/** The most calls one caller may have in flight on `provider` from this instance. */
export function callerConnectionLimit(
  provider: Pick<ProviderConfig, 'maxConnections' | 'maxConnectionsPerCaller'>,
): number {
  return (
    provider.maxConnectionsPerCaller ??
    Math.max(1, Math.floor(provider.maxConnections * DEFAULT_CALLER_POOL_SHARE))
  );
}

/**
 * Each caller's share of a provider's connection pool on this instance. The pool
 * (`maxConnections`) is per instance and per provider, and a call holds its connection
 * until its answer ends (a stream: minutes), so one gateway key with slow streams could
 * take every connection and leave the other tenants queued. A caller (gateway key) holds
 * at most `callerConnectionLimit(provider)` calls in flight per provider; past that the
 * provider is skipped for it (the route's next candidate, else a 429 for that caller
 * alone). In process and synchronous: no store round trip on the hot path.
 */
@Injectable()
export class ConnectionShare {
  private readonly held = new Map<string, number>();

  /** Takes one slot; the release function, or undefined when the caller holds its share. */
  tryTake(provider: string, caller: string, limit: number): (() => void) | undefined {
    const id = `${provider}\u0000${caller}`;
    const count = this.held.get(id) ?? 0;
    if (count >= limit) return undefined;
    this.held.set(id, count + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const left = (this.held.get(id) ?? 1) - 1;
      if (left <= 0) this.held.delete(id);
      else this.held.set(id, left);
    };
  }

  /** Calls `caller` has in flight on `provider` (for tests and status). */
  inFlight(provider: string, caller: string): number {
    return this.held.get(`${provider}\u0000${caller}`) ?? 0;
  }
}
