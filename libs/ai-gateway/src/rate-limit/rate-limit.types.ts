import { Inject } from '@nestjs/common';
import type { RateLimitFailMode } from '../config/rate-limit-config.schema';

export type { RateLimitFailMode } from '../config/rate-limit-config.schema';

/** Who a limit belongs to. `model` is the model or route name the caller asked for. */
export type RateLimitScopeKind = 'global' | 'key' | 'user' | 'team' | 'model' | 'ip';

/** Every scope kind, in the order `scopesFor` lists them (most specific first). */
export const RATE_LIMIT_SCOPE_KINDS: readonly RateLimitScopeKind[] = [
  'key',
  'user',
  'team',
  'model',
  'ip',
  'global',
];

/** One owner's limits that apply to a request; a limit left out is not enforced. */
export interface RateLimitScope {
  kind: RateLimitScopeKind;
  id: string;
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  concurrentRequests?: number;
  /** Redis unreachable: `open` limits locally at limit ÷ expected instances, `closed` refuses. */
  failMode: RateLimitFailMode;
}

/** What a scope counts: two token buckets and a set of requests in flight. */
export type RateLimitDimension = 'requests' | 'tokens' | 'concurrency';

/** What one request takes from the buckets: one request and its token estimate. */
export interface RateLimitCost {
  requests: number;
  /** Prompt tokens plus `max_tokens`: an integer ≥ 0, corrected by `adjust` afterwards. */
  tokens: number;
}

/** One scope's dimension as a decision left it (after the deduction when admitted). */
export interface RateLimitState {
  scope: RateLimitScope;
  dimension: RateLimitDimension;
  /** Per minute (requests, tokens) or at once (concurrency). */
  limit: number;
  /** Whole units left now, never below 0 (a bucket in debt reports 0). */
  remaining: number;
  /** Milliseconds until the bucket is full again (0 for concurrency). */
  resetMs: number;
}

/** Every bucket of every scope had room: the cost is taken from all of them. */
export interface RateLimitAdmission {
  admitted: true;
  states: RateLimitState[];
}

/** The first scope (in the order given) without room; nothing was taken anywhere. */
export interface RateLimitRefusal {
  admitted: false;
  scope: RateLimitScope;
  dimension: RateLimitDimension;
  /**
   * Milliseconds until that bucket holds the cost (exact, from the refill rate), or for
   * concurrency until the earliest lease ends, at most `CONCURRENCY_RETRY_MS`.
   */
  retryAfterMs: number;
  /** The cost exceeds the bucket's capacity: it can never be admitted as asked. */
  tooLarge: boolean;
  /** Every scope's state as found (nothing deducted). */
  states: RateLimitState[];
}

export type RateLimitStoreResult = RateLimitAdmission | RateLimitRefusal;

/**
 * Where limiter state lives: in memory (one instance; also the local fallback while Redis
 * is down) or in Redis (shared by every instance, one Lua script per operation covering
 * every scope). Both implement the same token buckets (`token-bucket.ts`) and run the
 * same scenarios. `now` is passed in, never read from the store's own clock.
 *
 * Invalid arguments throw `GatewayError(INTERNAL)` (a caller's bug); any other rejection
 * means the store failed (Redis down or slow) and `RateLimiter` applies each scope's
 * failure policy.
 */
export interface RateLimitStore {
  /** True when the state is shared by every gateway instance (Redis). */
  readonly shared: boolean;

  /**
   * Refills every bucket of `scopes`, checks them all (and every concurrency set) and,
   * only if all have room, takes the cost from all of them and holds a concurrency slot
   * for `requestId` (released by `release`, or after the lease).
   */
  acquire(
    requestId: string,
    scopes: readonly RateLimitScope[],
    cost: RateLimitCost,
    now: number,
  ): Promise<RateLimitStoreResult>;

  /**
   * Corrects the token buckets of `scopes` by `tokensDelta` once the actual usage is
   * known: negative gives unused tokens back (never above capacity), positive charges
   * what the estimate missed (a bucket may go into debt, delaying later requests).
   * Idempotent by `requestId` for `ADJUST_RECORD_TTL_MS`: a repeated call answers false
   * and changes nothing.
   */
  adjust(
    requestId: string,
    scopes: readonly RateLimitScope[],
    tokensDelta: number,
    now: number,
  ): Promise<boolean>;

  /** Frees `requestId`'s concurrency slots; answers how many it held. */
  release(requestId: string, scopes: readonly RateLimitScope[]): Promise<number>;
}

/** Injection token of the {@link RateLimitStore}. */
export const RATE_LIMIT_STORE = Symbol('RATE_LIMIT_STORE');

/** Injects the {@link RateLimitStore}: `constructor(@InjectRateLimitStore() store: RateLimitStore)`. */
export const InjectRateLimitStore = (): ParameterDecorator => Inject(RATE_LIMIT_STORE);
