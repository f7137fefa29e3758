import { GatewayErrorCode } from './gateway-error-code';
import { GatewayError } from './gateway.error';

/** What an adapter knows about a failed upstream HTTP call. */
export interface UpstreamFailure {
  provider: string;
  status: number;
  /**
   * The provider's own error message, as received. It may quote a key (OpenAI's "Incorrect
   * API key provided: sk-…"); the `GatewayError` built from it redacts it.
   */
  message?: string;
  /** The provider's error type/code string, used to spot context-length and content-filter errors. */
  type?: string;
  retryAfter?: string | null;
}

const CONTEXT_LENGTH =
  /context[_ ]length|context window|maximum context|too many tokens|prompt is too long|max_tokens.*exceed|input length/i;
const CONTENT_FILTER = /content[_ ]filter|content[_ ]policy|safety|blocked/i;

/**
 * The single table from an upstream HTTP status (plus the provider's error text) to a
 * gateway code. Every adapter uses it, so a 429 means the same thing for every vendor.
 */
export function codeForUpstreamStatus(status: number, hint = ''): GatewayErrorCode {
  if (status === 429) return GatewayErrorCode.RATE_LIMITED;
  if (status === 401 || status === 403) return GatewayErrorCode.AUTH;
  if (status === 408 || status === 504) return GatewayErrorCode.TIMEOUT;
  if (status >= 500) return GatewayErrorCode.SERVER_ERROR;
  if (CONTEXT_LENGTH.test(hint)) return GatewayErrorCode.CONTEXT_LENGTH_EXCEEDED;
  if (CONTENT_FILTER.test(hint)) return GatewayErrorCode.CONTENT_FILTERED;
  return GatewayErrorCode.BAD_REQUEST;
}

const DELTA_SECONDS = /^\d+(\.\d+)?$/;
const HTTP_DATE = /^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/;

/** Parses Retry-After (delta-seconds or HTTP-date) into milliseconds from `now`. */
export function parseRetryAfter(
  value: string | null | undefined,
  now = Date.now(),
): number | undefined {
  if (!value) return undefined;
  const trimmed = value.trim();
  if (DELTA_SECONDS.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Only an IMF-fixdate: V8's Date.parse would also read garbage like "abc 1" as a date.
  if (!HTTP_DATE.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function upstreamError(failure: UpstreamFailure): GatewayError {
  const hint = `${failure.type ?? ''} ${failure.message ?? ''}`;
  const code = codeForUpstreamStatus(failure.status, hint);
  const detail = failure.message ? `: ${failure.message}` : '';
  return new GatewayError(
    code,
    `Provider ${failure.provider} answered ${failure.status}${detail}`,
    {
      provider: failure.provider,
      upstreamStatus: failure.status,
      retryable: failure.status === 429 || [500, 502, 503, 504, 529].includes(failure.status),
      retryAfterMs: parseRetryAfter(failure.retryAfter),
    },
  );
}

/**
 * Network-level failure (refused, reset, DNS) before any response. The reason is the
 * error's code, else its message (redacted like any GatewayError message).
 */
export function connectionError(provider: string, cause: unknown): GatewayError {
  // Not `instanceof Error`: socket errors can come from another realm (Jest's sandbox).
  const reason =
    cause !== null && typeof cause === 'object'
      ? ((cause as NodeJS.ErrnoException).code ?? (cause as Error).message ?? 'unknown')
      : 'unknown';
  return new GatewayError(
    GatewayErrorCode.CONNECTION,
    `Provider ${provider} is unreachable (${reason})`,
    {
      provider,
      cause,
    },
  );
}

export function timeoutError(provider: string, timeoutMs: number): GatewayError {
  return new GatewayError(
    GatewayErrorCode.TIMEOUT,
    `Provider ${provider} did not answer within ${timeoutMs} ms`,
    {
      provider,
    },
  );
}
