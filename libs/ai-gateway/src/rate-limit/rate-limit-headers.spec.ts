import { formatResetDuration, rateLimitHeaders, retryAfterHeaders } from './rate-limit-headers';
import type { RateLimitState } from './rate-limit.types';
import { GLOBAL_ALL, KEY_RPM, USER_TPM } from './rate-limit.fixtures';

describe('rate-limit headers', () => {
  it.each([
    [0, '0s'],
    [-5, '0s'],
    [1, '1ms'],
    [20, '20ms'],
    [999, '999ms'],
    [1_000, '1s'],
    [1_500, '1.5s'],
    [8_640, '8.64s'],
    [12_005, '12.005s'],
    [59_999, '59.999s'],
    [60_000, '1m0s'],
    [90_250, '1m30.25s'],
    [360_000, '6m0s'],
    [3_600_000, '1h0m0s'],
    [3_723_400, '1h2m3.4s'],
    [0.2, '1ms'],
  ])('formats %p ms as OpenAI does: %p', (ms, text) => {
    expect(formatResetDuration(ms)).toBe(text);
  });

  it('reports the scope with the fewest remaining per dimension, the slower refill on a tie', () => {
    const states: RateLimitState[] = [
      { scope: KEY_RPM, dimension: 'requests', limit: 100, remaining: 40, resetMs: 36_000 },
      { scope: USER_TPM, dimension: 'tokens', limit: 10_000, remaining: 9_000, resetMs: 6_000 },
      { scope: GLOBAL_ALL, dimension: 'requests', limit: 1_000, remaining: 40, resetMs: 3_600 },
      { scope: GLOBAL_ALL, dimension: 'tokens', limit: 1_000_000, remaining: 12_000, resetMs: 0 },
      { scope: GLOBAL_ALL, dimension: 'concurrency', limit: 50, remaining: 0, resetMs: 0 },
    ];
    expect(rateLimitHeaders(states)).toEqual({
      'x-ratelimit-limit-requests': '100',
      'x-ratelimit-remaining-requests': '40',
      'x-ratelimit-reset-requests': '36s',
      'x-ratelimit-limit-tokens': '10000',
      'x-ratelimit-remaining-tokens': '9000',
      'x-ratelimit-reset-tokens': '6s',
    });
  });

  it('leaves out a dimension no scope limits', () => {
    const states: RateLimitState[] = [
      { scope: KEY_RPM, dimension: 'requests', limit: 100, remaining: 99, resetMs: 600 },
    ];
    expect(rateLimitHeaders(states)).toEqual({
      'x-ratelimit-limit-requests': '100',
      'x-ratelimit-remaining-requests': '99',
      'x-ratelimit-reset-requests': '600ms',
    });
    expect(rateLimitHeaders([])).toEqual({});
  });

  it('gives Retry-After in whole seconds rounded up and retry-after-ms exactly', () => {
    expect(retryAfterHeaders(600)).toEqual({ 'retry-after': '1', 'retry-after-ms': '600' });
    expect(retryAfterHeaders(36_000)).toEqual({ 'retry-after': '36', 'retry-after-ms': '36000' });
    expect(retryAfterHeaders(36_001)).toEqual({ 'retry-after': '37', 'retry-after-ms': '36001' });
    expect(retryAfterHeaders(0)).toEqual({ 'retry-after': '0', 'retry-after-ms': '0' });
  });
});
