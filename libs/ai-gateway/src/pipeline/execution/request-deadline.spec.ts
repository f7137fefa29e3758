import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import { RequestDeadline } from './request-deadline';

const limitError = (): GatewayError => new GatewayError(GatewayErrorCode.TIMEOUT, 'limit');

describe(RequestDeadline.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it("says which timer ended an attempt: its own limit or the request's deadline", () => {
    const deadline = new RequestDeadline(1_000, undefined, () => Date.now());
    const limited = deadline.attempt(100, limitError);
    const unlimited = deadline.attempt(5_000, limitError);
    jest.advanceTimersByTime(100);
    expect(limited.stoppedBy).toBe('limit');
    expect(unlimited.stoppedBy).toBeUndefined();
    jest.advanceTimersByTime(900);
    expect(unlimited.stoppedBy).toBe('request');
    expect((unlimited.signal.reason as GatewayError).message).toContain('1000 ms deadline');
    deadline.dispose();
  });

  it('keeps the first cause: a later abort does not rename it', () => {
    const caller = new AbortController();
    const deadline = new RequestDeadline(1_000, { signal: caller.signal }, () => Date.now());
    const attempt = deadline.attempt(500, limitError);
    caller.abort();
    attempt.abort(limitError());
    expect(attempt.stoppedBy).toBe('request');
    expect((attempt.signal.reason as GatewayError).code).toBe(GatewayErrorCode.CANCELLED);
    const other = new RequestDeadline(1_000, undefined, () => Date.now()).attempt(500, limitError);
    other.abort(limitError());
    expect(other.stoppedBy).toBe('abort');
    deadline.dispose();
  });
});
