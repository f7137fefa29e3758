import type { RateLimitHeaders } from './rate-limit-headers';
import type { RateLimitDimension, RateLimitScope } from './rate-limit.types';

/**
 * Which limiter decided: the configured store (`store`: Redis, or memory without Redis),
 * the local fallback at limit ÷ expected instances while Redis is unreachable
 * (`fallback`), or nobody because no scope applied (`none`).
 */
export type RateLimiterSource = 'store' | 'fallback' | 'none';

/** An admitted request's hold: hand it to `settle` and `release` when the request ends. */
export interface RateLimitTicket {
  /** The limiter's own id of this acquire (unique: a caller's request id may repeat). */
  readonly id: string;
  /** The request id, for logs. */
  readonly requestId: string;
  /** The scopes as enforced (divided by the expected instances on the fallback). */
  readonly scopes: readonly RateLimitScope[];
  /** Tokens taken from every tokens-per-minute bucket (the estimate). */
  readonly reservedTokens: number;
  readonly source: RateLimiterSource;
}

/** Every scope had room: go ahead, send `headers`, settle and release the ticket later. */
export interface RateLimitAdmitted {
  admitted: true;
  unavailable: false;
  headers: RateLimitHeaders;
  ticket: RateLimitTicket;
}

/** A scope had no room (→ 429 with Retry-After); nothing was taken. */
export interface RateLimitLimited {
  admitted: false;
  unavailable: false;
  /** The first scope without room, in the order given. */
  scope: RateLimitScope;
  dimension: RateLimitDimension;
  /** Until that scope has room (exact from the refill rate; concurrency: ≤ 1 s). */
  retryAfterMs: number;
  /** The token estimate exceeds the limit itself: retrying as is cannot succeed. */
  tooLarge: boolean;
  /** For the caller: which limit, and when to retry. */
  message: string;
  headers: RateLimitHeaders;
  source: RateLimiterSource;
}

/** Redis is unreachable and a scope fails closed (→ 503 with Retry-After). */
export interface RateLimitUnavailable {
  admitted: false;
  unavailable: true;
  retryAfterMs: number;
  message: string;
}

/** The answer of `RateLimiter.acquire`. */
export type RateLimitDecision = RateLimitAdmitted | RateLimitLimited | RateLimitUnavailable;
