import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';

/** Longest delay `setTimeout` takes before it silently fires at once. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/**
 * The first-token timer fired: nothing reached the client yet, so the attempt may be
 * retried or fall back. The timer name is in the message because `GatewayError` has no
 * field for it.
 */
export function firstTokenTimeoutError(provider: string, ms: number): GatewayError {
  return new GatewayError(
    GatewayErrorCode.TIMEOUT,
    `Provider ${provider} sent no first token within ${ms} ms (first-token timeout)`,
    { provider, retryable: true },
  );
}

/**
 * The idle timer fired between two chunks. Not retryable: part of the answer may already
 * be with the client, and a second answer cannot be spliced onto it.
 */
export function idleTimeoutError(provider: string, ms: number): GatewayError {
  return new GatewayError(
    GatewayErrorCode.TIMEOUT,
    `Provider ${provider} stream idle for more than ${ms} ms (idle timeout)`,
    { provider, retryable: false },
  );
}

/**
 * Waits for the stream's first item for at most `ms` (no limit when `ms` is not a
 * positive finite number). On timeout it calls `onTimeout()`, releases the source with
 * `return()` (not awaited) and rejects with that error.
 *
 * An async generator queues `return()` behind its pending `next()`, so `return()` alone
 * may not free a connection stuck waiting for bytes: abort the attempt's signal inside
 * `onTimeout` (`() => { const e = firstTokenTimeoutError(p, ms); attempt.abort(e); return e; }`).
 * An aborted `signal` rejects at once with its reason.
 */
export async function withFirstTokenTimeout<T>(
  iterator: AsyncIterator<T>,
  ms: number,
  onTimeout: () => GatewayError,
  signal?: AbortSignal,
): Promise<IteratorResult<T>> {
  const outcome = await raceTimer(iterator.next(), ms, onTimeout, signal);
  switch (outcome.kind) {
    case 'next':
      return outcome.result;
    case 'failed':
      throw outcome.error;
    case 'stalled':
      release(iterator);
      throw outcome.error;
  }
}

/**
 * Passes the source's items through, failing when the source stays silent for more than
 * `idleMs` between two items (each `next()` on the source is timed; time the consumer
 * spends on an item does not count). On idle or abort the source is released with
 * `return()` (not awaited, see `withFirstTokenTimeout`) and the error is thrown; when
 * the consumer stops early, the source's `return()` is awaited. No timer outlives a
 * `next()`, whatever the path.
 */
export async function* guardIdle<T>(
  source: AsyncIterable<T> | AsyncIterator<T>,
  idleMs: number,
  onIdle: () => GatewayError,
  signal?: AbortSignal,
): AsyncGenerator<T, void, undefined> {
  const iterator = isIterable(source) ? source[Symbol.asyncIterator]() : source;
  // 'open' until the source ended, failed or stalled: only then do we still owe it a return().
  let state: 'open' | 'finished' | 'stalled' = 'open';
  try {
    for (;;) {
      const outcome = await raceTimer(iterator.next(), idleMs, onIdle, signal);
      if (outcome.kind === 'failed') {
        state = 'finished';
        throw outcome.error;
      }
      if (outcome.kind === 'stalled') {
        state = 'stalled';
        release(iterator);
        throw outcome.error;
      }
      if (outcome.result.done) {
        state = 'finished';
        return;
      }
      yield outcome.result.value;
    }
  } finally {
    if (state === 'open') {
      try {
        await iterator.return?.();
      } catch {
        // The consumer is leaving; a source failing to close has nobody left to tell.
      }
    }
  }
}

/** How one timed `next()` ended: with the source's answer, its error, or our stall. */
type RaceOutcome<T> =
  | { kind: 'next'; result: IteratorResult<T> }
  | { kind: 'failed'; error: unknown }
  | { kind: 'stalled'; error: GatewayError };

/**
 * Settles with the source's `next()`, or reports a stall when the timer fires or the
 * signal aborts first. Never rejects. Timer and listener are removed on every path; a
 * later rejection of the abandoned `next()` is absorbed here (no unhandled rejection).
 */
function raceTimer<T>(
  pending: Promise<IteratorResult<T>>,
  ms: number,
  onTimeout: () => GatewayError,
  signal?: AbortSignal,
): Promise<RaceOutcome<T>> {
  return new Promise<RaceOutcome<T>>((resolve) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    let settled = false;
    const cleanup = (): boolean => {
      if (settled) return false;
      settled = true;
      if (timer !== undefined) clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      return true;
    };
    const stall = (error: () => GatewayError): void => {
      if (cleanup()) resolve({ kind: 'stalled', error: error() });
    };
    const onAbort = (): void => stall(() => abortError(signal));

    pending.then(
      (result) => {
        if (cleanup()) resolve({ kind: 'next', result });
      },
      (error: unknown) => {
        // The source's own error, passed on untouched (adapters throw GatewayErrors).
        if (cleanup()) resolve({ kind: 'failed', error });
      },
    );
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    if (Number.isFinite(ms) && ms > 0) {
      timer = setTimeout(() => stall(onTimeout), Math.min(ms, MAX_TIMER_MS));
      // A stuck upstream must not keep the process alive on its own.
      timer.unref?.();
    }
  });
}

function abortError(signal: AbortSignal | undefined): GatewayError {
  const reason: unknown = signal?.reason;
  return reason instanceof GatewayError
    ? reason
    : new GatewayError(GatewayErrorCode.CANCELLED, 'The stream was cancelled', {
        retryable: false,
      });
}

/** Asks the source to stop without waiting for it (it may be stuck in a read). */
function release<T>(iterator: AsyncIterator<T>): void {
  try {
    void Promise.resolve(iterator.return?.()).catch(() => undefined);
  } catch {
    // A synchronous throw from return() changes nothing: the error we report is the stall.
  }
}

function isIterable<T>(source: AsyncIterable<T> | AsyncIterator<T>): source is AsyncIterable<T> {
  return typeof (source as Partial<AsyncIterable<T>>)[Symbol.asyncIterator] === 'function';
}
