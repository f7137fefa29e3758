import { withDeadline } from './redis-connection.service';

describe(withDeadline.name, () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('rejects once the deadline passes, however long the work would take', async () => {
    const never = new Promise<string>(() => undefined);
    const bounded = withDeadline(never, 1_000);
    const outcome = bounded.then(
      () => 'answered',
      (error: Error) => error.message,
    );
    await jest.advanceTimersByTimeAsync(999);
    expect(jest.getTimerCount()).toBe(1);
    await jest.advanceTimersByTimeAsync(1);
    await expect(outcome).resolves.toBe('Redis did not answer within 1000 ms');
  });

  it('bounds a command and its fallback together: NOSCRIPT then a slow EVAL is one deadline', async () => {
    // EVALSHA answers NOSCRIPT after 900 ms; the EVAL after it would take another 900 ms.
    const evalsha = (): Promise<never> =>
      new Promise((_, reject) => setTimeout(() => reject(new Error('NOSCRIPT')), 900));
    const evalScript = (): Promise<string> =>
      new Promise((resolve) => setTimeout(() => resolve('OK'), 900));
    const run = withDeadline(
      evalsha().catch(() => evalScript()),
      1_000,
    ).then(
      (value) => value,
      (error: Error) => error.message,
    );
    await jest.advanceTimersByTimeAsync(1_000);
    await expect(run).resolves.toBe('Redis did not answer within 1000 ms');
  });

  it('passes an answer through and leaves no timer behind', async () => {
    const answer = withDeadline(Promise.resolve(42), 1_000);
    await expect(answer).resolves.toBe(42);
    expect(jest.getTimerCount()).toBe(0);
    await expect(withDeadline(Promise.reject(new Error('down')), 1_000)).rejects.toThrow('down');
    expect(jest.getTimerCount()).toBe(0);
  });
});
