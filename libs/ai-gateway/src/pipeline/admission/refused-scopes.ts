import type { RateLimitLimited } from '../../rate-limit/rate-limiter.types';
import type { RateLimitScope } from '../../rate-limit/rate-limit.types';

/** Scopes remembered at most; past it the memory starts over (it is only a shortcut). */
const MAX_SCOPES = 10_000;

/**
 * Scopes out of requests until a known time, remembered in process: while a caller's
 * requests-per-minute bucket is known to be empty, its prompts are not counted again (the
 * limiter, asked with no tokens, refuses it on the requests it has not got). Sound: a
 * request bucket refills with time only, so no request of that scope could be admitted
 * from the shared store before `until`, whatever other instances do. Token and concurrency
 * refusals are not remembered (a smaller or a later request may fit).
 */
export class RefusedScopes {
  private readonly until = new Map<string, { until: number; refusal: RateLimitLimited }>();

  remember(refusal: RateLimitLimited, now: number): void {
    // A fail-open local decision (Redis unreachable) is this instance's share only.
    if (refusal.dimension !== 'requests' || refusal.source !== 'store') return;
    if (refusal.tooLarge || refusal.retryAfterMs <= 0) return;
    if (this.until.size >= MAX_SCOPES) this.until.clear();
    this.until.set(keyOf(refusal.scope), { until: now + refusal.retryAfterMs, refusal });
  }

  /** A scope of `scopes` still out of requests at `now`, with the time left. */
  refusing(
    scopes: readonly RateLimitScope[],
    now: number,
  ): { refusal: RateLimitLimited; retryAfterMs: number } | undefined {
    if (this.until.size === 0) return undefined;
    for (const scope of scopes) {
      const key = keyOf(scope);
      const entry = this.until.get(key);
      if (!entry) continue;
      // Limits changed since (a reload): the memory no longer speaks for this scope.
      if (entry.until <= now || entry.refusal.scope.requestsPerMinute !== scope.requestsPerMinute) {
        this.until.delete(key);
        continue;
      }
      return { refusal: entry.refusal, retryAfterMs: entry.until - now };
    }
    return undefined;
  }

  clear(): void {
    this.until.clear();
  }
}

function keyOf(scope: RateLimitScope): string {
  return `${scope.kind}\u0000${scope.id}`;
}
