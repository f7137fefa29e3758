import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import {
  firstTokenTimeoutError,
  guardIdle,
  idleTimeoutError,
  withFirstTokenTimeout,
} from './stream-guard';

/**
 * A source whose item `i` arrives `gaps[i]` ms after it is asked for, on (fake) timers.
 * Its `return()` takes effect at once, also during a pending `next()`, like an adapter
 * that destroys its socket, and is counted.
 */
class ScriptedSource implements AsyncIterator<number> {
  returned = 0;
  private index = 0;
  private pending?: { timer: NodeJS.Timeout; resolve: (r: IteratorResult<number>) => void };

  constructor(
    private readonly gaps: number[],
    private readonly failAt?: number,
  ) {}

  next(): Promise<IteratorResult<number>> {
    if (this.returned > 0 || this.index >= this.gaps.length) return Promise.resolve(DONE);
    const index = this.index++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        if (index === this.failAt) reject(new Error('upstream broke'));
        else resolve({ done: false, value: index });
      }, this.gaps[index]);
      this.pending = { timer, resolve };
    });
  }

  return(): Promise<IteratorResult<number>> {
    this.returned++;
    if (this.pending) {
      clearTimeout(this.pending.timer);
      this.pending.resolve(DONE);
      this.pending = undefined;
    }
    return Promise.resolve(DONE);
  }
}

const DONE: IteratorResult<number> = { done: true, value: undefined };

/** Lets a test look at a promise's state without awaiting it. */
function track<T>(promise: Promise<T>): {
  state: 'pending' | 'resolved' | 'rejected';
  value?: T;
  error?: unknown;
} {
  const tracked: { state: 'pending' | 'resolved' | 'rejected'; value?: T; error?: unknown } = {
    state: 'pending',
  };
  promise.then(
    (value) => Object.assign(tracked, { state: 'resolved', value }),
    (error: unknown) => Object.assign(tracked, { state: 'rejected', error }),
  );
  return tracked;
}

async function drain<T>(stream: AsyncIterable<T>): Promise<{ items: T[]; error?: unknown }> {
  const items: T[] = [];
  try {
    for await (const item of stream) items.push(item);
    return { items };
  } catch (error) {
    return { items, error };
  }
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

describe(withFirstTokenTimeout.name, () => {
  const onTimeout = (): GatewayError => firstTokenTimeoutError('slowpoke', 1_000);

  it('passes a first token that arrives 1 ms before the limit', async () => {
    const source = new ScriptedSource([999]);
    const first = track(withFirstTokenTimeout(source, 1_000, onTimeout));
    await jest.advanceTimersByTimeAsync(999);
    expect(first).toMatchObject({ state: 'resolved', value: { done: false, value: 0 } });
    expect(source.returned).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('fails at the limit when the first token is 1 ms late, and releases the source', async () => {
    const source = new ScriptedSource([1_001]);
    const timeout = jest.fn(onTimeout);
    const first = track(withFirstTokenTimeout(source, 1_000, timeout));
    await jest.advanceTimersByTimeAsync(999);
    expect(first.state).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    expect(first.state).toBe('rejected');
    expect(first.error).toBeInstanceOf(GatewayError);
    expect(first.error).toMatchObject({
      code: GatewayErrorCode.TIMEOUT,
      provider: 'slowpoke',
      retryable: true,
      message: 'Provider slowpoke sent no first token within 1000 ms (first-token timeout)',
    });
    expect(timeout).toHaveBeenCalledTimes(1);
    expect(source.returned).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('returns the end of an empty stream and passes a source error through', async () => {
    await expect(withFirstTokenTimeout(new ScriptedSource([]), 1_000, onTimeout)).resolves.toEqual(
      DONE,
    );
    const failing = track(withFirstTokenTimeout(new ScriptedSource([10], 0), 1_000, onTimeout));
    await jest.advanceTimersByTimeAsync(10);
    expect(failing.state).toBe('rejected');
    expect((failing.error as Error).message).toBe('upstream broke');
    expect(jest.getTimerCount()).toBe(0);
  });

  it('rejects with the reason of an aborted signal and sets no timer for a disabled limit', async () => {
    const controller = new AbortController();
    const reason = new GatewayError(GatewayErrorCode.TIMEOUT, 'deadline');
    const source = new ScriptedSource([5_000]);
    const first = track(withFirstTokenTimeout(source, 0, onTimeout, controller.signal));
    expect(jest.getTimerCount()).toBe(1); // the source's own timer only
    controller.abort(reason);
    await jest.advanceTimersByTimeAsync(0);
    expect(first).toMatchObject({ state: 'rejected', error: reason });
    expect(source.returned).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });
});

describe(guardIdle.name, () => {
  const onIdle = (): GatewayError => idleTimeoutError('stally', 500);

  it('lets gaps of 1 ms under the idle limit through to the end', async () => {
    const source = new ScriptedSource([10, 499, 499, 499]);
    const result = track(drain(guardIdle(source, 500, onIdle)));
    await jest.advanceTimersByTimeAsync(10 + 3 * 499);
    expect(result).toMatchObject({ state: 'resolved', value: { items: [0, 1, 2, 3] } });
    expect(result.value?.error).toBeUndefined();
    expect(source.returned).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('fails a gap 1 ms over the limit at the limit, and releases the source', async () => {
    const source = new ScriptedSource([10, 501, 10]);
    const result = track(drain(guardIdle(source, 500, onIdle)));
    await jest.advanceTimersByTimeAsync(10 + 499);
    expect(result.state).toBe('pending');
    await jest.advanceTimersByTimeAsync(1);
    expect(result.state).toBe('resolved');
    expect(result.value?.items).toEqual([0]);
    expect(result.value?.error).toMatchObject({
      code: GatewayErrorCode.TIMEOUT,
      retryable: false,
      message: 'Provider stally stream idle for more than 500 ms (idle timeout)',
    });
    expect(source.returned).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('does not count the time the consumer spends on an item', async () => {
    const source = new ScriptedSource([10, 100]);
    const stream = guardIdle(source, 500, onIdle);
    const first = track(stream.next());
    await jest.advanceTimersByTimeAsync(10);
    expect(first.value).toEqual({ done: false, value: 0 });
    await jest.advanceTimersByTimeAsync(5_000); // a slow client
    const second = track(stream.next());
    await jest.advanceTimersByTimeAsync(100);
    expect(second.value).toEqual({ done: false, value: 1 });
  });

  it('releases the source and clears timers when the consumer stops early', async () => {
    const source = new ScriptedSource([10, 10, 10]);
    const seen: number[] = [];
    const consumer = track(
      (async () => {
        for await (const item of guardIdle(source, 500, onIdle)) {
          seen.push(item);
          if (item === 1) break;
        }
      })(),
    );
    await jest.advanceTimersByTimeAsync(20);
    expect(consumer.state).toBe('resolved');
    expect(seen).toEqual([0, 1]);
    expect(source.returned).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('passes a source error through without calling return() on a finished source', async () => {
    const source = new ScriptedSource([10, 10], 1);
    const result = track(drain(guardIdle(source, 500, onIdle)));
    await jest.advanceTimersByTimeAsync(20);
    expect(result.value?.items).toEqual([0]);
    expect((result.value?.error as Error).message).toBe('upstream broke');
    expect(source.returned).toBe(0);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('stops at once when the signal aborts mid-stream', async () => {
    const controller = new AbortController();
    const source = new ScriptedSource([10, 400]);
    const result = track(drain(guardIdle(source, 500, onIdle, controller.signal)));
    await jest.advanceTimersByTimeAsync(100);
    controller.abort('client left');
    await jest.advanceTimersByTimeAsync(0);
    expect(result.value?.items).toEqual([0]);
    expect(result.value?.error).toMatchObject({ code: GatewayErrorCode.CANCELLED });
    expect(source.returned).toBe(1);
    expect(jest.getTimerCount()).toBe(0);
  });

  it('continues an iterator whose first item came through withFirstTokenTimeout', async () => {
    const source = new ScriptedSource([900, 400, 400]);
    const first = track(
      withFirstTokenTimeout(source, 1_000, () => firstTokenTimeoutError('p', 1_000)),
    );
    await jest.advanceTimersByTimeAsync(900);
    expect(first.value).toEqual({ done: false, value: 0 });
    const rest = track(drain(guardIdle(source, 500, onIdle)));
    await jest.advanceTimersByTimeAsync(800);
    expect(rest.value).toEqual({ items: [1, 2] });
    expect(jest.getTimerCount()).toBe(0);
  });

  it('closes an async generator source when the consumer leaves', async () => {
    let closed = false;
    async function* words(): AsyncGenerator<string> {
      try {
        await Promise.resolve();
        yield 'a';
        yield 'b';
        yield 'c';
      } finally {
        closed = true;
      }
    }
    const stream = guardIdle(words(), 500, onIdle);
    expect(await stream.next()).toEqual({ done: false, value: 'a' });
    expect(await stream.return()).toEqual({ done: true, value: undefined });
    expect(closed).toBe(true);
    expect(jest.getTimerCount()).toBe(0);
  });
});
