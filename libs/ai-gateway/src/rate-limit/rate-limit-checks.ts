import { MAX_RATE_LIMIT, RATE_LIMIT_FAIL_MODES } from '../config/rate-limit-config.schema';
import { GatewayError } from '../errors/gateway.error';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import type {
  RateLimitCost,
  RateLimitDimension,
  RateLimitScope,
  RateLimitState,
  RateLimitStoreResult,
} from './rate-limit.types';
import { RATE_LIMIT_SCOPE_KINDS } from './rate-limit.types';
import { remainingOf, untilFullMs, waitMs } from './token-bucket';

/** A concurrency slot not released (crashed instance) stops counting after this. */
export const DEFAULT_LEASE_MS = 600_000;

/**
 * How long an applied `adjust` is remembered (its idempotency): a repeat comes from a
 * retry seconds later, and one key per request must not pile up in Redis for long.
 */
export const ADJUST_RECORD_TTL_MS = 60_000;

/** Retry-After of a concurrency refusal, unless the earliest lease ends sooner. */
export const CONCURRENCY_RETRY_MS = 1_000;

/** Most concurrent requests a scope may allow. */
export const MAX_CONCURRENT_REQUESTS = 1_000_000;

/** One bucket or concurrency set a decision looks at, in the order checked. */
export interface RateLimitCheck {
  scope: RateLimitScope;
  dimension: RateLimitDimension;
  limit: number;
  /** Units taken on admission: 1 request, the token estimate, or one slot. */
  cost: number;
}

/**
 * What a store read for one check: a bucket's level in units (after the refill, and the
 * deduction when admitted), or a concurrency set's slots in use and its earliest lease
 * expiry (0 when none is needed).
 */
export type CheckReading =
  { kind: 'bucket'; level: number } | { kind: 'slots'; inUse: number; earliestExpiry: number };

const DIMENSION_SUFFIX: Record<RateLimitDimension, string> = {
  requests: 'r',
  tokens: 't',
  concurrency: 'c',
};

/**
 * Every check of `scopes`, scope by scope (requests, tokens, concurrency): the first
 * without room is the one a refusal names.
 */
export function checksOf(scopes: readonly RateLimitScope[], cost: RateLimitCost): RateLimitCheck[] {
  const checks: RateLimitCheck[] = [];
  for (const scope of scopes) {
    if (scope.requestsPerMinute !== undefined) {
      checks.push({
        scope,
        dimension: 'requests',
        limit: scope.requestsPerMinute,
        cost: cost.requests,
      });
    }
    if (scope.tokensPerMinute !== undefined) {
      checks.push({ scope, dimension: 'tokens', limit: scope.tokensPerMinute, cost: cost.tokens });
    }
    if (scope.concurrentRequests !== undefined) {
      checks.push({ scope, dimension: 'concurrency', limit: scope.concurrentRequests, cost: 1 });
    }
  }
  return checks;
}

/**
 * Key parts of one check's state: `rl:<kind>:<id>:<r|t|c>`. The kind first and a
 * one-letter suffix last keep ids containing `:` apart.
 */
export function checkKeyParts(scope: RateLimitScope, dimension: RateLimitDimension): string[] {
  return ['rl', scope.kind, scope.id, DIMENSION_SUFFIX[dimension]];
}

/** Key parts of a request's adjust record (idempotency of `adjust`). */
export function adjustKeyParts(requestId: string): string[] {
  return ['rl', 'adj', requestId];
}

/** Turns what a store read into its answer: the same for every store. */
export function decisionOf(
  checks: readonly RateLimitCheck[],
  readings: readonly CheckReading[],
  refusedIndex: number,
  now: number,
): RateLimitStoreResult {
  const states = checks.map((check, i) => stateOf(check, readings[i]));
  if (refusedIndex < 0) return { admitted: true, states };
  const check = checks[refusedIndex];
  const reading = readings[refusedIndex];
  if (reading.kind === 'slots') {
    const untilLease = reading.earliestExpiry > now ? reading.earliestExpiry - now : Infinity;
    return {
      admitted: false,
      scope: check.scope,
      dimension: check.dimension,
      retryAfterMs: Math.min(untilLease, CONCURRENCY_RETRY_MS),
      tooLarge: false,
      states,
    };
  }
  const tooLarge = check.cost > check.limit;
  return {
    admitted: false,
    scope: check.scope,
    dimension: check.dimension,
    // Too large never fits: the best it gets is a full bucket.
    retryAfterMs: tooLarge
      ? untilFullMs(reading.level, check.limit)
      : waitMs(reading.level, check.cost, check.limit),
    tooLarge,
    states,
  };
}

function stateOf(check: RateLimitCheck, reading: CheckReading): RateLimitState {
  const { scope, dimension, limit } = check;
  if (reading.kind === 'slots') {
    return { scope, dimension, limit, remaining: Math.max(0, limit - reading.inUse), resetMs: 0 };
  }
  return {
    scope,
    dimension,
    limit,
    remaining: remainingOf(reading.level),
    resetMs: untilFullMs(reading.level, limit),
  };
}

/** Rejects what the stores cannot account exactly; a caller's bug, not a limiter verdict. */
export function validateAcquire(
  requestId: string,
  scopes: readonly RateLimitScope[],
  cost: RateLimitCost,
  now: number,
): void {
  validateRequestId(requestId);
  validateNow(now);
  validateScopes(scopes);
  validateAmount('cost.requests', cost.requests, 0);
  validateAmount('cost.tokens', cost.tokens, 0);
}

/** Checks the arguments of `adjust`. */
export function validateAdjust(
  requestId: string,
  scopes: readonly RateLimitScope[],
  tokensDelta: number,
  now: number,
): void {
  validateRequestId(requestId);
  validateNow(now);
  validateScopes(scopes);
  validateAmount('tokensDelta', tokensDelta, -MAX_RATE_LIMIT);
}

/** Checks scopes and rejects the same scope twice (it would be charged twice). */
export function validateScopes(scopes: readonly RateLimitScope[]): void {
  const seen = new Set<string>();
  for (const scope of scopes) {
    if (!RATE_LIMIT_SCOPE_KINDS.includes(scope.kind)) {
      invalid(`unknown rate-limit scope "${String(scope.kind)}"`);
    }
    if (typeof scope.id !== 'string' || scope.id === '') invalid('rate-limit scope id is empty');
    if (!RATE_LIMIT_FAIL_MODES.includes(scope.failMode)) {
      invalid(`unknown rate-limit fail mode "${String(scope.failMode)}"`);
    }
    validateLimit('requestsPerMinute', scope.requestsPerMinute, MAX_RATE_LIMIT);
    validateLimit('tokensPerMinute', scope.tokensPerMinute, MAX_RATE_LIMIT);
    validateLimit('concurrentRequests', scope.concurrentRequests, MAX_CONCURRENT_REQUESTS);
    const identity = `${scope.kind}\u0000${scope.id}`;
    if (seen.has(identity)) invalid(`rate-limit scope ${scope.kind} "${scope.id}" given twice`);
    seen.add(identity);
  }
}

export function validateRequestId(requestId: string): void {
  if (typeof requestId !== 'string' || requestId === '') invalid('requestId is empty');
}

function validateNow(now: number): void {
  if (!Number.isSafeInteger(now) || now < 0) invalid('now must be an integer of epoch ms');
}

function validateLimit(name: string, value: number | undefined, max: number): void {
  if (value === undefined) return;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    invalid(`${name} must be an integer from 1 to ${max}`);
  }
}

function validateAmount(name: string, value: number, min: number): void {
  if (!Number.isSafeInteger(value) || value < min || value > MAX_RATE_LIMIT) {
    invalid(`${name} must be an integer from ${min} to ${MAX_RATE_LIMIT}`);
  }
}

function invalid(message: string): never {
  throw new GatewayError(GatewayErrorCode.INTERNAL, message);
}
