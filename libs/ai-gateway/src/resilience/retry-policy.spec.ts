import { RetryConfig } from '../config/gateway-config.schema';
import { FALLBACK_REASONS } from '../config/gateway-config.schema';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { connectionError, timeoutError, upstreamError } from '../errors/http-status-error.mapper';
import type { FailureContext } from './retry-policy';
import { decideAfterFailure, fallbackReasonOf, isRetryable, retryDelayMs } from './retry-policy';
import { firstTokenTimeoutError, idleTimeoutError } from './stream-guard';

const status = (code: number, retryAfter?: string, message?: string): GatewayError =>
  upstreamError({ provider: 'p', status: code, retryAfter, message });

const retry = new RetryConfig(); // base 250 ms, max 8 s, Retry-After cap 30 s

function ctx(overrides: Partial<FailureContext> = {}): FailureContext {
  return {
    attempt: 0,
    maxRetries: 2,
    hasNextCandidate: true,
    fallbackOn: [...FALLBACK_REASONS],
    retryBeforeFallback: false,
    retryAllowedByBudget: true,
    remainingDeadlineMs: 60_000,
    retry,
    random: () => 0.5,
    ...overrides,
  };
}

describe(fallbackReasonOf.name, () => {
  const expected: Record<GatewayErrorCode, string | undefined> = {
    [GatewayErrorCode.RATE_LIMITED]: 'rate_limit',
    [GatewayErrorCode.TIMEOUT]: 'timeout',
    [GatewayErrorCode.SERVER_ERROR]: 'server_error',
    [GatewayErrorCode.STREAM_INTERRUPTED]: 'server_error',
    [GatewayErrorCode.CONNECTION]: 'connection',
    [GatewayErrorCode.AUTH]: 'auth',
    [GatewayErrorCode.CONTEXT_LENGTH_EXCEEDED]: 'context_length',
    [GatewayErrorCode.CONTENT_FILTERED]: 'content_filter',
    [GatewayErrorCode.BAD_REQUEST]: undefined,
    [GatewayErrorCode.INVALID_REQUEST]: undefined,
    [GatewayErrorCode.MODEL_NOT_FOUND]: undefined,
    [GatewayErrorCode.UNSUPPORTED_FEATURE]: undefined,
    [GatewayErrorCode.PAYLOAD_TOO_LARGE]: undefined,
    [GatewayErrorCode.CANCELLED]: undefined,
    [GatewayErrorCode.NO_PROVIDER_AVAILABLE]: undefined,
    [GatewayErrorCode.BUDGET_EXCEEDED]: undefined,
    [GatewayErrorCode.BUDGET_UNAVAILABLE]: undefined,
    [GatewayErrorCode.RATE_LIMIT_EXCEEDED]: undefined,
    [GatewayErrorCode.RATE_LIMIT_UNAVAILABLE]: undefined,
    [GatewayErrorCode.PII_DETECTED]: undefined,
    [GatewayErrorCode.PROMPT_INJECTION_DETECTED]: undefined,
    [GatewayErrorCode.CONTENT_FLAGGED]: undefined,
    [GatewayErrorCode.GUARDRAIL_UNAVAILABLE]: undefined,
    [GatewayErrorCode.INVALID_API_KEY]: undefined,
    [GatewayErrorCode.MODEL_NOT_ALLOWED]: undefined,
    [GatewayErrorCode.AUTH_UNAVAILABLE]: undefined,
    [GatewayErrorCode.INVALID_CONFIG]: undefined,
    [GatewayErrorCode.NOT_FOUND]: undefined,
    [GatewayErrorCode.INTERNAL]: undefined,
  };

  it.each(Object.values(GatewayErrorCode))('maps %s to its fallbackOn kind', (code) => {
    expect(fallbackReasonOf(code)).toBe(expected[code]);
  });
});

describe(isRetryable.name, () => {
  it.each([429, 500, 502, 503, 504, 529])('retries an upstream %i', (code) => {
    expect(isRetryable(status(code))).toBe(true);
  });

  it.each([400, 401, 403, 404, 408, 413, 422, 501, 505])('never retries an upstream %i', (code) => {
    expect(isRetryable(status(code))).toBe(false);
  });

  it('retries a connection error and gateway-side timeouts before any byte', () => {
    expect(isRetryable(connectionError('p', { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isRetryable(timeoutError('p', 1000))).toBe(true);
    expect(isRetryable(firstTokenTimeoutError('p', 1000))).toBe(true);
  });

  it('does not retry an idle timeout, a cut stream, a malformed body or context/filter errors', () => {
    expect(isRetryable(idleTimeoutError('p', 1000))).toBe(false);
    expect(isRetryable(new GatewayError(GatewayErrorCode.STREAM_INTERRUPTED, 'cut'))).toBe(false);
    expect(isRetryable(new GatewayError(GatewayErrorCode.SERVER_ERROR, 'malformed'))).toBe(false);
    expect(isRetryable(status(400, undefined, 'maximum context length is 8192 tokens'))).toBe(
      false,
    );
    expect(isRetryable(status(400, undefined, 'blocked by content filter'))).toBe(false);
  });

  it("honours an adapter's veto on an otherwise retryable code", () => {
    const quota = new GatewayError(GatewayErrorCode.RATE_LIMITED, 'quota', { retryable: false });
    expect(isRetryable(quota)).toBe(false);
  });
});

describe(retryDelayMs.name, () => {
  it('draws full jitter under min(maxDelayMs, baseDelayMs × 2^attempt)', () => {
    expect(retryDelayMs(undefined, 0, retry, () => 0)).toBe(0);
    expect(retryDelayMs(undefined, 0, retry, () => 0.5)).toBe(125);
    expect(retryDelayMs(undefined, 2, retry, () => 0.5)).toBe(500);
    expect(retryDelayMs(undefined, 2, retry, () => 0.999)).toBe(999);
    // 250 × 2^10 is far over the 8 s ceiling.
    expect(retryDelayMs(undefined, 10, retry, () => 0.5)).toBe(4_000);
  });

  it('waits Retry-After plus at most min(250 ms, 25 %)', () => {
    expect(retryDelayMs(1_000, 0, retry, () => 0)).toBe(1_000);
    expect(retryDelayMs(1_000, 0, retry, () => 0.999)).toBe(1_250);
    expect(retryDelayMs(200, 5, retry, () => 0.999)).toBe(250);
    expect(retryDelayMs(0, 0, retry, () => 0.999)).toBe(0);
  });

  it('refuses to wait for a Retry-After over maxRetryAfterMs', () => {
    expect(retryDelayMs(30_000, 0, retry, () => 0)).toBe(30_000);
    expect(retryDelayMs(30_001, 0, retry, () => 0)).toBeUndefined();
  });
});

describe(decideAfterFailure.name, () => {
  it('sends a caller error straight back: no retry, no fallback', () => {
    const decision = decideAfterFailure(
      status(400, undefined, 'bad temperature'),
      ctx({ retryBeforeFallback: true }),
    );
    expect(decision).toEqual({ action: 'fail' });
  });

  it('retries a 429 with Retry-After: 1 after 1.0–1.25 s when the route retries first', () => {
    const error = status(429, '1');
    expect(decideAfterFailure(error, ctx({ retryBeforeFallback: true, random: () => 0 }))).toEqual({
      action: 'retry',
      delayMs: 1_000,
    });
    expect(
      decideAfterFailure(error, ctx({ retryBeforeFallback: true, random: () => 0.999 })),
    ).toEqual({ action: 'retry', delayMs: 1_250 });
  });

  it('skips a 429 to the next candidate when the route does not retry first', () => {
    expect(decideAfterFailure(status(429, '1'), ctx())).toEqual({
      action: 'fallback',
      reason: 'rate_limit',
    });
  });

  it('does not wait for a Retry-After above the cap: falls back, or fails on the last target', () => {
    const error = status(429, '60');
    expect(decideAfterFailure(error, ctx({ retryBeforeFallback: true }))).toEqual({
      action: 'fallback',
      reason: 'rate_limit',
    });
    expect(decideAfterFailure(error, ctx({ hasNextCandidate: false }))).toEqual({
      action: 'fail',
    });
  });

  it('falls back on a 500, and retries it with backoff on the last candidate', () => {
    expect(decideAfterFailure(status(500), ctx())).toEqual({
      action: 'fallback',
      reason: 'server_error',
    });
    expect(decideAfterFailure(status(500), ctx({ hasNextCandidate: false, attempt: 1 }))).toEqual({
      action: 'retry',
      delayMs: 250,
    });
  });

  it('stops retrying after maxRetries', () => {
    const last = ctx({ hasNextCandidate: false, attempt: 2, maxRetries: 2 });
    expect(decideAfterFailure(status(503), last)).toEqual({ action: 'fail' });
    const withNext = ctx({ retryBeforeFallback: true, attempt: 2, maxRetries: 2 });
    expect(decideAfterFailure(status(503), withNext)).toEqual({
      action: 'fallback',
      reason: 'server_error',
    });
  });

  it('asks the budget only for a retry that would otherwise happen, and obeys it', () => {
    const budget = jest.fn(() => false);
    expect(decideAfterFailure(status(500), ctx({ retryAllowedByBudget: budget }))).toEqual({
      action: 'fallback',
      reason: 'server_error',
    });
    expect(budget).toHaveBeenCalledTimes(0);

    const spent = ctx({ hasNextCandidate: false, retryAllowedByBudget: budget });
    expect(decideAfterFailure(status(500), spent)).toEqual({ action: 'fail' });
    expect(budget).toHaveBeenCalledTimes(1);

    const granted = jest.fn(() => true);
    const ok = ctx({ hasNextCandidate: false, retryAllowedByBudget: granted });
    expect(decideAfterFailure(status(500), ok)).toEqual({ action: 'retry', delayMs: 125 });
    expect(granted).toHaveBeenCalledTimes(1);
  });

  it('does not retry when the wait would reach the deadline, and fails past it', () => {
    const error = status(429, '2');
    const tight = ctx({ retryBeforeFallback: true, remainingDeadlineMs: 2_000, random: () => 0 });
    expect(decideAfterFailure(error, tight)).toEqual({ action: 'fallback', reason: 'rate_limit' });
    expect(decideAfterFailure(error, { ...tight, remainingDeadlineMs: 2_001 })).toEqual({
      action: 'retry',
      delayMs: 2_000,
    });
    expect(decideAfterFailure(status(500), ctx({ remainingDeadlineMs: 0 }))).toEqual({
      action: 'fail',
    });
  });

  it('fails a failure whose kind the route does not fall back on', () => {
    const only5xx = ctx({ fallbackOn: ['server_error'] });
    expect(decideAfterFailure(status(429), only5xx)).toEqual({ action: 'fail' });
    expect(decideAfterFailure(status(401), only5xx)).toEqual({ action: 'fail' });
  });

  it('moves context-length, content-filter and auth failures on without retrying them', () => {
    const retryFirst = ctx({ retryBeforeFallback: true });
    const overflow = status(400, undefined, 'maximum context length exceeded');
    expect(decideAfterFailure(overflow, retryFirst)).toEqual({
      action: 'fallback',
      reason: 'context_length',
    });
    expect(decideAfterFailure(status(400, undefined, 'content_filter'), retryFirst)).toEqual({
      action: 'fallback',
      reason: 'content_filter',
    });
    expect(decideAfterFailure(status(401), retryFirst)).toEqual({
      action: 'fallback',
      reason: 'auth',
    });
  });

  it('retries a first-token timeout on the last candidate but never an idle timeout', () => {
    const last = ctx({ hasNextCandidate: false, random: () => 0 });
    expect(decideAfterFailure(firstTokenTimeoutError('p', 5_000), last)).toEqual({
      action: 'retry',
      delayMs: 0,
    });
    expect(decideAfterFailure(idleTimeoutError('p', 5_000), last)).toEqual({ action: 'fail' });
    expect(decideAfterFailure(idleTimeoutError('p', 5_000), ctx())).toEqual({
      action: 'fallback',
      reason: 'timeout',
    });
  });
});
