import type { FallbackReason, RetryConfig } from '../config/gateway-config.schema';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import type { GatewayError } from '../errors/gateway.error';

/** Upstream statuses worth a second try on the same provider (529: Anthropic "overloaded"). */
const RETRYABLE_STATUSES: ReadonlySet<number> = new Set([429, 500, 502, 503, 504, 529]);

/** Upper bound of the jitter added to a Retry-After wait. */
const RETRY_AFTER_JITTER_CAP_MS = 250;
const RETRY_AFTER_JITTER_SHARE = 0.25;

/**
 * The `fallbackOn` kind of a failure, or `undefined` for the caller's own errors (and
 * the gateway's), which never move to another candidate: another provider would refuse
 * the same request, or nobody is waiting for the answer any more.
 */
export function fallbackReasonOf(code: GatewayErrorCode): FallbackReason | undefined {
  switch (code) {
    case GatewayErrorCode.RATE_LIMITED:
      return 'rate_limit';
    case GatewayErrorCode.TIMEOUT:
      return 'timeout';
    case GatewayErrorCode.SERVER_ERROR:
    // A stream cut before the client saw a byte is the provider failing, like a 5xx.
    case GatewayErrorCode.STREAM_INTERRUPTED:
      return 'server_error';
    case GatewayErrorCode.CONNECTION:
      return 'connection';
    case GatewayErrorCode.AUTH:
      return 'auth';
    case GatewayErrorCode.CONTEXT_LENGTH_EXCEEDED:
      return 'context_length';
    case GatewayErrorCode.CONTENT_FILTERED:
      return 'content_filter';
    case GatewayErrorCode.BAD_REQUEST:
    case GatewayErrorCode.INVALID_REQUEST:
    case GatewayErrorCode.MODEL_NOT_FOUND:
    case GatewayErrorCode.UNSUPPORTED_FEATURE:
    case GatewayErrorCode.PAYLOAD_TOO_LARGE:
    case GatewayErrorCode.CANCELLED:
    // Skipped candidates: the executor moves past them itself, never through a decision.
    case GatewayErrorCode.NO_PROVIDER_AVAILABLE:
    case GatewayErrorCode.BUDGET_EXCEEDED:
    case GatewayErrorCode.BUDGET_UNAVAILABLE:
    case GatewayErrorCode.RATE_LIMIT_EXCEEDED:
    case GatewayErrorCode.RATE_LIMIT_UNAVAILABLE:
    case GatewayErrorCode.PII_DETECTED:
    case GatewayErrorCode.PROMPT_INJECTION_DETECTED:
    case GatewayErrorCode.CONTENT_FLAGGED:
    case GatewayErrorCode.GUARDRAIL_UNAVAILABLE:
    case GatewayErrorCode.INVALID_API_KEY:
    case GatewayErrorCode.MODEL_NOT_ALLOWED:
    case GatewayErrorCode.AUTH_UNAVAILABLE:
    case GatewayErrorCode.INVALID_CONFIG:
    case GatewayErrorCode.NOT_FOUND:
    case GatewayErrorCode.INTERNAL:
      return undefined;
  }
}

/**
 * Whether the same call, sent again to the same provider, may succeed. Deliberately
 * narrow (the list): a connection error before response headers, 429, and
 * 500/502/503/504/529. An adapter can veto with `retryable: false` (a 429 for an
 * exhausted quota, a cancelled call), never widen.
 *
 * - `server_error` without a status (a malformed body, an SDK failure) is not retried:
 *   a broken answer tends to repeat, so it falls back instead.
 * - `timeout` is retried only when its error says so: the attempt limit, connect and
 *   first-token timers (nothing reached the client) and a 504 are; a 408 and the idle
 *   timer (bytes already went out) are not. The request deadline bounds the retry.
 * - `stream_interrupted` (a cut after the headers) is not retried, it falls back.
 */
export function isRetryable(error: GatewayError): boolean {
  if (!error.retryable) return false;
  switch (error.code) {
    case GatewayErrorCode.CONNECTION:
    case GatewayErrorCode.RATE_LIMITED:
      return true;
    case GatewayErrorCode.SERVER_ERROR:
      return error.upstreamStatus !== undefined && RETRYABLE_STATUSES.has(error.upstreamStatus);
    case GatewayErrorCode.TIMEOUT:
      return error.upstreamStatus === undefined || RETRYABLE_STATUSES.has(error.upstreamStatus);
    default:
      return false;
  }
}

/** The provider's retry timing, as configured (`ProviderConfig.retry`). */
export type RetryTiming = Pick<RetryConfig, 'baseDelayMs' | 'maxDelayMs' | 'maxRetryAfterMs'>;

/** What the executor knows when an attempt has failed. */
export interface FailureContext {
  /** Retries already made on this target (0 after its first attempt). */
  attempt: number;
  /** The provider's `maxRetries`. */
  maxRetries: number;
  hasNextCandidate: boolean;
  /** The route's `fallbackOn`. */
  fallbackOn: readonly FallbackReason[];
  /** Retry this target before moving on; without it, retries happen only on the last one. */
  retryBeforeFallback: boolean;
  /**
   * The retry budget's answer. Pass a function (`() => budget.tryAcquireRetry(p)`) so a
   * retry token is only taken when every other condition already allows the retry.
   */
  retryAllowedByBudget: boolean | (() => boolean);
  /** Time left before the request's deadline. */
  remainingDeadlineMs: number;
  retry: RetryTiming;
  /** Uniform in [0, 1); injected so tests pin the jitter. */
  random: () => number;
}

export type FailureDecision =
  | { action: 'retry'; delayMs: number }
  | { action: 'fallback'; reason: FallbackReason }
  | { action: 'fail' };

/**
 * Retry, fall back or fail after a failed attempt:
 * 1. a caller error (no fallback reason) fails at once: no retry, no fallback; so does
 *    any failure once the deadline has passed;
 * 2. a retryable error is retried when this is the last candidate or the route retries
 *    before falling back, retries are left (`attempt < maxRetries`), the wait is known
 *    (see `retryDelayMs`) and ends before the deadline, and the budget allows it;
 * 3. otherwise the next candidate is tried when the reason is in `fallbackOn`;
 * 4. otherwise the error goes back to the caller.
 */
export function decideAfterFailure(error: GatewayError, ctx: FailureContext): FailureDecision {
  const reason = fallbackReasonOf(error.code);
  // Past the deadline nothing else can be tried, whatever the failure was.
  if (reason === undefined || ctx.remainingDeadlineMs <= 0) return { action: 'fail' };

  if (
    isRetryable(error) &&
    (ctx.retryBeforeFallback || !ctx.hasNextCandidate) &&
    ctx.attempt < ctx.maxRetries
  ) {
    const delayMs = retryDelayMs(error.retryAfterMs, ctx.attempt, ctx.retry, ctx.random);
    // The budget is asked last: a token is spent only on a retry that really happens.
    if (delayMs !== undefined && delayMs < ctx.remainingDeadlineMs && budgetAllows(ctx)) {
      return { action: 'retry', delayMs };
    }
  }

  if (ctx.hasNextCandidate && ctx.fallbackOn.includes(reason)) {
    return { action: 'fallback', reason };
  }
  return { action: 'fail' };
}

/**
 * The wait before retry number `attempt + 1`, or `undefined` when the provider asked for
 * a longer pause than `maxRetryAfterMs` (not worth waiting for: fall back or fail).
 *
 * - With Retry-After: `retryAfterMs + random() × min(250, 0.25 × retryAfterMs)`, so
 *   `Retry-After: 1` waits 1.00–1.25 s: never earlier than asked, spread enough that
 *   clients told the same second do not come back in one burst.
 * - Otherwise exponential backoff with full jitter (AWS architecture blog, "Exponential
 *   Backoff and Jitter"): `random() × min(maxDelayMs, baseDelayMs × 2^attempt)`.
 */
export function retryDelayMs(
  retryAfterMs: number | undefined,
  attempt: number,
  retry: RetryTiming,
  random: () => number,
): number | undefined {
  if (retryAfterMs !== undefined) {
    if (retryAfterMs > retry.maxRetryAfterMs) return undefined;
    const jitterCap = Math.min(RETRY_AFTER_JITTER_CAP_MS, RETRY_AFTER_JITTER_SHARE * retryAfterMs);
    return Math.round(retryAfterMs + random() * jitterCap);
  }
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  return Math.round(random() * ceiling);
}

function budgetAllows(ctx: FailureContext): boolean {
  return typeof ctx.retryAllowedByBudget === 'function'
    ? ctx.retryAllowedByBudget()
    : ctx.retryAllowedByBudget;
}
