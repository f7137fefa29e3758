import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import {
  AUTH_FAILURE_WINDOW_MS,
  AuthFailureLimiter,
  MAX_TRACKED_ADDRESSES,
} from './auth-failure-limiter';

function refusal(call: () => void): GatewayError | undefined {
  try {
    call();
    return undefined;
  } catch (error) {
    return error as GatewayError;
  }
}

describe(AuthFailureLimiter.name, () => {
  let now: number;
  let limiter: AuthFailureLimiter;
  beforeEach(() => {
    now = 1_000_000;
    limiter = new AuthFailureLimiter(
      () => 3,
      () => now,
    );
  });

  it('refuses an address after its limit of failures, for the rest of the minute', () => {
    for (let i = 0; i < 3; i++) {
      expect(refusal(() => limiter.assertAllowed('10.0.0.1'))).toBeUndefined();
      limiter.recordFailure('10.0.0.1');
    }
    now += 15_000;
    const refused = refusal(() => limiter.assertAllowed('10.0.0.1'));
    expect(refused).toBeInstanceOf(GatewayError);
    expect(refused?.code).toBe(GatewayErrorCode.RATE_LIMIT_EXCEEDED);
    expect(refused?.retryAfterMs).toBe(AUTH_FAILURE_WINDOW_MS - 15_000);
    expect(refusal(() => limiter.assertAllowed('10.0.0.2'))).toBeUndefined();
    now += AUTH_FAILURE_WINDOW_MS - 15_000;
    expect(refusal(() => limiter.assertAllowed('10.0.0.1'))).toBeUndefined();
  });

  it('counts an IPv6 /64 as one address', () => {
    for (let i = 0; i < 3; i++) limiter.recordFailure(`2001:db8:1:2::${i + 1}`);
    expect(refusal(() => limiter.assertAllowed('2001:db8:1:2:ffff::9'))).toBeDefined();
    expect(refusal(() => limiter.assertAllowed('2001:db8:1:3::1'))).toBeUndefined();
  });

  it(`tracks at most ${MAX_TRACKED_ADDRESSES} addresses`, () => {
    for (let i = 0; i < 3 * MAX_TRACKED_ADDRESSES; i++) {
      limiter.recordFailure(`10.${(i >> 16) & 255}.${(i >> 8) & 255}.${i & 255}`);
    }
    const tracked = (limiter as unknown as { addresses: Map<string, unknown> }).addresses;
    expect(tracked.size).toBeLessThanOrEqual(MAX_TRACKED_ADDRESSES);
  });
});
