import { normalizeIp } from '@nestjs/throttler';
import { GatewayError, GatewayErrorCode, formatResetDuration } from '@ai-gateway/core';
import type { GatewayConfigService } from '@ai-gateway/core';

/** The window failures are counted in. */
export const AUTH_FAILURE_WINDOW_MS = 60_000;

/** Client addresses tracked at most; past it the stalest entries are dropped. */
export const MAX_TRACKED_ADDRESSES = 10_000;

interface Failures {
  windowStart: number;
  count: number;
}

/**
 * Failed key checks per client address (IPv6 by /64), in memory, per instance. An
 * address with `server.authFailuresPerMinute` failures in the current minute gets 429
 * for the rest of it, before its key is looked at: a guesser gets that many tries a
 * minute, whatever it presents, and a correct key sent from that address waits too (a
 * success never clears the count, or one valid key would buy unlimited guesses at
 * another). Memory stays bounded: at most {@link MAX_TRACKED_ADDRESSES} addresses.
 */
export class AuthFailureLimiter {
  private readonly addresses = new Map<string, Failures>();

  constructor(
    private readonly limit: () => number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Throws `rate_limit_exceeded` (429, Retry-After) while `ip` is over its limit. */
  assertAllowed(ip: string): void {
    const entry = this.current(normalizeIp(ip));
    if (!entry || entry.count < this.limit()) return;
    const retryAfterMs = Math.max(1, entry.windowStart + AUTH_FAILURE_WINDOW_MS - this.now());
    throw new GatewayError(
      GatewayErrorCode.RATE_LIMIT_EXCEEDED,
      `Too many failed authentication attempts from this address. Try again in ${formatResetDuration(retryAfterMs)}.`,
      { retryable: true, retryAfterMs },
    );
  }

  /** Counts one failed key check from `ip`. */
  recordFailure(ip: string): void {
    const address = normalizeIp(ip);
    const entry = this.current(address);
    if (entry) {
      entry.count++;
      return;
    }
    if (this.addresses.size >= MAX_TRACKED_ADDRESSES) this.evict();
    this.addresses.set(address, { windowStart: this.now(), count: 1 });
  }

  /** The address's count in the current window (an expired window is forgotten). */
  private current(address: string): Failures | undefined {
    const entry = this.addresses.get(address);
    if (!entry) return undefined;
    if (this.now() - entry.windowStart < AUTH_FAILURE_WINDOW_MS) return entry;
    this.addresses.delete(address);
    return undefined;
  }

  /** Drops expired windows; if none had, the oldest tenth (insertion order). */
  private evict(): void {
    const now = this.now();
    for (const [address, entry] of this.addresses) {
      if (now - entry.windowStart >= AUTH_FAILURE_WINDOW_MS) this.addresses.delete(address);
    }
    if (this.addresses.size < MAX_TRACKED_ADDRESSES) return;
    let drop = Math.ceil(MAX_TRACKED_ADDRESSES / 10);
    for (const address of this.addresses.keys()) {
      if (drop-- <= 0) break;
      this.addresses.delete(address);
    }
  }
}

const limiters = new WeakMap<GatewayConfigService, AuthFailureLimiter>();

/**
 * The one limiter of an app. Nest makes a `GatewayAuthGuard` for the global guard and
 * one per controller that names it; they must share one count, and the app's
 * `GatewayConfigService` is one per app (two apps in one process, as in tests, stay apart).
 */
export function authFailureLimiterOf(config: GatewayConfigService): AuthFailureLimiter {
  let limiter = limiters.get(config);
  if (!limiter) {
    limiter = new AuthFailureLimiter(() => config.current.server.authFailuresPerMinute);
    limiters.set(config, limiter);
  }
  return limiter;
}
