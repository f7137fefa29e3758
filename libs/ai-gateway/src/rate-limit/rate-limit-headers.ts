import type { RateLimitState } from './rate-limit.types';

/**
 * The rate-limit headers OpenAI sends and its clients read, for the most constraining
 * scope of each dimension. A dimension no scope limits has no headers.
 */
export interface RateLimitHeaders {
  'x-ratelimit-limit-requests'?: string;
  'x-ratelimit-remaining-requests'?: string;
  /** Time until the requests bucket is full again, as OpenAI writes it (`1s`, `6m0s`, `20ms`). */
  'x-ratelimit-reset-requests'?: string;
  'x-ratelimit-limit-tokens'?: string;
  'x-ratelimit-remaining-tokens'?: string;
  'x-ratelimit-reset-tokens'?: string;
}

/**
 * Headers from the states of a decision: per dimension (requests, tokens) the state with
 * the fewest remaining, on a tie the one that takes longest to refill. Concurrency has
 * no OpenAI header.
 */
export function rateLimitHeaders(states: readonly RateLimitState[]): RateLimitHeaders {
  const headers: RateLimitHeaders = {};
  const requests = tightest(states, 'requests');
  if (requests) {
    headers['x-ratelimit-limit-requests'] = String(requests.limit);
    headers['x-ratelimit-remaining-requests'] = String(requests.remaining);
    headers['x-ratelimit-reset-requests'] = formatResetDuration(requests.resetMs);
  }
  const tokens = tightest(states, 'tokens');
  if (tokens) {
    headers['x-ratelimit-limit-tokens'] = String(tokens.limit);
    headers['x-ratelimit-remaining-tokens'] = String(tokens.remaining);
    headers['x-ratelimit-reset-tokens'] = formatResetDuration(tokens.resetMs);
  }
  return headers;
}

/**
 * A duration as OpenAI's headers write it (Go's duration format, to the millisecond):
 * `20ms` below a second, else hours, minutes and seconds with up to three decimals,
 * leading zero units left out: `1s`, `1.5s`, `6m0s`, `1h0m0.25s`; `0s` for nothing.
 */
export function formatResetDuration(ms: number): string {
  const total = Math.max(0, Math.ceil(ms));
  if (total === 0) return '0s';
  if (total < 1_000) return `${total}ms`;
  const hours = Math.floor(total / 3_600_000);
  const minutes = Math.floor((total % 3_600_000) / 60_000);
  const millis = total % 60_000;
  const fraction = millis % 1_000;
  const seconds =
    fraction === 0
      ? String(Math.floor(millis / 1_000))
      : `${Math.floor(millis / 1_000)}.${String(fraction).padStart(3, '0').replace(/0+$/, '')}`;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

/**
 * `Retry-After` (whole seconds, rounded up: the standard header) and `retry-after-ms`
 * (exact; the official OpenAI clients prefer it) for a refusal.
 */
export function retryAfterHeaders(retryAfterMs: number): {
  'retry-after': string;
  'retry-after-ms': string;
} {
  const ms = Math.max(0, Math.ceil(retryAfterMs));
  return { 'retry-after': String(Math.ceil(ms / 1_000)), 'retry-after-ms': String(ms) };
}

function tightest(
  states: readonly RateLimitState[],
  dimension: 'requests' | 'tokens',
): RateLimitState | undefined {
  let best: RateLimitState | undefined;
  for (const state of states) {
    if (state.dimension !== dimension) continue;
    if (
      !best ||
      state.remaining < best.remaining ||
      (state.remaining === best.remaining && state.resetMs > best.resetMs)
    ) {
      best = state;
    }
  }
  return best;
}
