import type { RateLimitLimited } from '../../rate-limit/rate-limiter.types';
import type { RateLimitScope } from '../../rate-limit/rate-limit.types';
import { RefusedScopes } from './refused-scopes';

const scope: RateLimitScope = { kind: 'key', id: 'key_a', requestsPerMinute: 5, failMode: 'open' };

function refusal(overrides: Partial<RateLimitLimited> = {}): RateLimitLimited {
  return {
    admitted: false,
    unavailable: false,
    scope,
    dimension: 'requests',
    retryAfterMs: 12_000,
    tooLarge: false,
    message: 'Rate limit reached',
    headers: {},
    source: 'store',
    ...overrides,
  };
}

describe(RefusedScopes.name, () => {
  it('refuses a scope out of requests until its refill, then forgets it', () => {
    const refused = new RefusedScopes();
    refused.remember(refusal(), 1_000);
    expect(refused.refusing([scope], 1_000)?.retryAfterMs).toBe(12_000);
    expect(refused.refusing([scope], 12_999)?.retryAfterMs).toBe(1);
    expect(refused.refusing([scope], 13_000)).toBeUndefined();
  });

  it('speaks only for the scope refused, and no more once its limit changed', () => {
    const refused = new RefusedScopes();
    refused.remember(refusal(), 0);
    expect(refused.refusing([{ ...scope, id: 'key_b' }], 1)).toBeUndefined();
    expect(refused.refusing([{ ...scope, requestsPerMinute: 50 }], 1)).toBeUndefined();
  });

  it.each([
    ['a token refusal (a smaller request may fit)', refusal({ dimension: 'tokens' })],
    ['a concurrency refusal (a release frees a slot)', refusal({ dimension: 'concurrency' })],
    ['a fail-open local decision (Redis unreachable)', refusal({ source: 'fallback' })],
    ['a request too large for the limit', refusal({ tooLarge: true })],
  ])('does not remember %s', (_label, decision) => {
    const refused = new RefusedScopes();
    refused.remember(decision, 0);
    expect(refused.refusing([scope], 1)).toBeUndefined();
  });
});
