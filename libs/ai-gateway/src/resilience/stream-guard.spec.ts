import { GatewayErrorCode } from '../errors/gateway-error-code';
import { IdleWatchdog, firstTokenTimeoutError, idleTimeoutError } from './stream-guard';

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** A watchdog on jest's clock, with the number of times it fired. */
function watch(idleMs: number): { dog: IdleWatchdog; fired: () => number } {
  let fired = 0;
  const dog = new IdleWatchdog(
    idleMs,
    () => fired++,
    () => Date.now(),
  );
  return { dog, fired: () => fired };
}

describe(IdleWatchdog.name, () => {
  it('fires once when the provider stays silent for the limit, not 1 ms before', () => {
    const { dog, fired } = watch(500);
    dog.waiting();
    jest.advanceTimersByTime(499);
    expect(fired()).toBe(0);
    jest.advanceTimersByTime(1);
    expect(fired()).toBe(1);
    jest.advanceTimersByTime(5_000);
    expect(fired()).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('measures silence from the last wait, with one timer re-armed for the rest', () => {
    const { dog, fired } = watch(500);
    dog.waiting();
    jest.advanceTimersByTime(400);
    dog.received(); // a chunk after 400 ms
    dog.waiting();
    jest.advanceTimersByTime(499); // 499 ms of silence since the chunk
    expect(fired()).toBe(0);
    expect(jest.getTimerCount()).toBe(1);
    jest.advanceTimersByTime(1);
    expect(fired()).toBe(1);
  });

  it('does not count the time the consumer spends before asking for the next chunk', () => {
    const { dog, fired } = watch(500);
    dog.waiting();
    jest.advanceTimersByTime(100);
    dog.received();
    jest.advanceTimersByTime(5_000); // a slow reader, not a silent provider
    expect(fired()).toBe(0);
    dog.waiting();
    jest.advanceTimersByTime(500);
    expect(fired()).toBe(1);
  });

  it('stop() clears its timer and it never fires afterwards', () => {
    const { dog, fired } = watch(500);
    dog.waiting();
    dog.stop();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(5_000);
    expect(fired()).toBe(0);
  });

  it('sets no timer for a disabled limit', () => {
    const { dog, fired } = watch(Number.POSITIVE_INFINITY);
    dog.waiting();
    expect(jest.getTimerCount()).toBe(0);
    jest.advanceTimersByTime(10_000);
    expect(fired()).toBe(0);
  });
});

describe('timer errors', () => {
  it('a first-token timeout is retryable and names its timer', () => {
    const error = firstTokenTimeoutError('openai', 700);
    expect(error).toMatchObject({
      code: GatewayErrorCode.TIMEOUT,
      provider: 'openai',
      retryable: true,
    });
    expect(error.message).toBe(
      'Provider openai sent no first token within 700 ms (first-token timeout)',
    );
  });

  it('an idle timeout is not retryable (bytes may have reached the client) and names its timer', () => {
    const error = idleTimeoutError('openai', 700);
    expect(error).toMatchObject({
      code: GatewayErrorCode.TIMEOUT,
      provider: 'openai',
      retryable: false,
    });
    expect(error.message).toBe('Provider openai stream idle for more than 700 ms (idle timeout)');
  });
});
