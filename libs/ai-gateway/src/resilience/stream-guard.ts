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
  return marked(
    new GatewayError(
      GatewayErrorCode.TIMEOUT,
      `Provider ${provider} sent no first token within ${ms} ms (first-token timeout)`,
      { provider, retryable: true },
    ),
    { kind: 'first-token', ms },
  );
}

/** Which stream timer an error came from, and its setting. */
export interface StreamTimer {
  kind: 'first-token' | 'idle';
  ms: number;
}

/** Beside the error rather than on it: `GatewayError` has no field for the timer. */
const timers = new WeakMap<GatewayError, StreamTimer>();

function marked(error: GatewayError, timer: StreamTimer): GatewayError {
  timers.set(error, timer);
  return error;
}

/** The stream timer that produced `error`, if one did (to tell the caller's timers from the provider's). */
export function streamTimerOf(error: GatewayError): StreamTimer | undefined {
  return timers.get(error);
}

/**
 * The idle timer fired between two chunks. Not retryable: part of the answer may already
 * be with the client, and a second answer cannot be spliced onto it.
 */
export function idleTimeoutError(provider: string, ms: number): GatewayError {
  return marked(
    new GatewayError(
      GatewayErrorCode.TIMEOUT,
      `Provider ${provider} stream idle for more than ${ms} ms (idle timeout)`,
      { provider, retryable: false },
    ),
    { kind: 'idle', ms },
  );
}

/**
 * Watches the silence between stream chunks without a timer per chunk: one timer is
 * armed for the idle limit and, when it fires, re-armed for whatever is left since the
 * last chunk. Only time spent waiting on the provider counts: `waiting()` when the
 * consumer asks for the next chunk, `received()` when it arrives — a slow reader (HTTP
 * backpressure) is not mistaken for a silent provider. On a stall it calls `onIdle` once
 * (the pipeline aborts the attempt, which ends the provider's stream with the idle error).
 */
export class IdleWatchdog {
  private since: number;
  private waitingFor = false;
  private timer?: ReturnType<typeof setTimeout>;
  private stopped = false;

  constructor(
    private readonly idleMs: number,
    private readonly onIdle: () => void,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.since = now();
    if (Number.isFinite(idleMs) && idleMs > 0) this.arm(Math.min(idleMs, MAX_TIMER_MS));
  }

  /** The consumer is waiting for the provider's next chunk: the idle clock runs. */
  waiting(): void {
    this.waitingFor = true;
    this.since = this.now();
  }

  /** A chunk arrived: the idle clock stops until the consumer waits again. */
  received(): void {
    this.waitingFor = false;
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
  }

  private arm(delay: number): void {
    this.timer = setTimeout(() => this.check(), delay);
    this.timer.unref();
  }

  private check(): void {
    if (this.stopped) return;
    const silent = this.waitingFor ? this.now() - this.since : 0;
    if (silent >= this.idleMs) {
      this.stopped = true;
      this.onIdle();
      return;
    }
    this.arm(Math.min(this.idleMs - silent, MAX_TIMER_MS));
  }
}
