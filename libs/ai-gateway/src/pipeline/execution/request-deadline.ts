import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import type { AttemptStop } from '../../resilience/request-fault';

/** Registers a callback that cancels the request (e.g. when the HTTP client goes away). */
export type CancelHook = (cancel: () => void) => void;

/** One attempt's signal and its controls (see `RequestDeadline.attempt`). */
export interface AttemptSignal {
  signal: AbortSignal;
  /** Undefined while the attempt runs or when it ended on its own. */
  readonly stoppedBy: AttemptStop | undefined;
  release(): void;
  disarm(): void;
  abort(reason: GatewayError): void;
}

/**
 * The request's total deadline: one timer that bounds every attempt and every backoff,
 * also stopped when the caller goes away. Attempts hang their own, shorter timers below
 * it with `attempt()`. Plain listeners rather than an AbortSignal of its own: the only
 * AbortController per attempt is the one the upstream call needs (they cost on the hot path).
 */
export class RequestDeadline {
  readonly expiresAt: number;
  private stopped?: GatewayError;
  private readonly listeners = new Set<(reason: GatewayError) => void>();
  private readonly timer: NodeJS.Timeout;
  private unlink?: () => void;

  constructor(
    readonly totalMs: number,
    caller?: { signal?: AbortSignal; onCancel?: CancelHook },
    private readonly now: () => number = Date.now,
  ) {
    this.expiresAt = now() + totalMs;
    this.timer = setTimeout(() => this.stop(deadlineError(totalMs)), totalMs);
    this.timer.unref();
    const signal = caller?.signal;
    if (signal) {
      if (signal.aborted) this.stop(cancelled());
      const onAbort = (): void => this.stop(cancelled());
      signal.addEventListener('abort', onAbort, { once: true });
      this.unlink = () => signal.removeEventListener('abort', onAbort);
    }
    caller?.onCancel?.(() => this.stop(cancelled()));
  }

  get remainingMs(): number {
    return Math.max(0, this.expiresAt - this.now());
  }

  get expired(): boolean {
    return this.stopped !== undefined;
  }

  /** Why the request stopped: the deadline's error, or cancellation by the caller. */
  get reason(): GatewayError {
    return this.stopped ?? cancelled();
  }

  /**
   * A signal for one attempt, aborted after `limitMs` with `onLimit()`'s error, or when
   * the request itself stops. `release()` clears the timer and the link; `disarm()`
   * clears only the timer (a stream past its first chunk); `abort()` ends it now.
   * `stoppedBy` says which of the three ended it: the breaker must not blame the provider
   * for the request's own deadline or cancellation.
   */
  attempt(limitMs: number | undefined, onLimit: () => GatewayError): AttemptSignal {
    const controller = new AbortController();
    let stoppedBy: AttemptStop | undefined;
    const end = (by: AttemptStop, reason: GatewayError): void => {
      if (controller.signal.aborted) return;
      stoppedBy = by;
      controller.abort(reason);
    };
    const onStop = (reason: GatewayError): void => end('request', reason);
    if (this.stopped) end('request', this.stopped);
    else this.listeners.add(onStop);
    let timer: NodeJS.Timeout | undefined;
    if (limitMs !== undefined && limitMs < this.remainingMs) {
      timer = setTimeout(() => end('limit', onLimit()), limitMs);
      timer.unref();
    }
    return {
      signal: controller.signal,
      get stoppedBy() {
        return stoppedBy;
      },
      abort: (reason) => end('abort', reason),
      disarm: () => {
        if (timer) clearTimeout(timer);
      },
      release: () => {
        if (timer) clearTimeout(timer);
        this.listeners.delete(onStop);
      },
    };
  }

  /** Waits `ms`, or less if the request stops first (then rejects with the reason). */
  sleep(ms: number): Promise<void> {
    if (this.stopped) return Promise.reject(this.stopped);
    return new Promise((resolve, reject) => {
      const onStop = (reason: GatewayError): void => {
        clearTimeout(timer);
        reject(reason);
      };
      const timer = setTimeout(() => {
        this.listeners.delete(onStop);
        resolve();
      }, ms);
      this.listeners.add(onStop);
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unlink?.();
    this.unlink = undefined;
  }

  private stop(reason: GatewayError): void {
    if (this.stopped) return;
    this.stopped = reason;
    clearTimeout(this.timer);
    for (const listener of [...this.listeners]) listener(reason);
    this.listeners.clear();
  }
}

function cancelled(): GatewayError {
  return new GatewayError(GatewayErrorCode.CANCELLED, 'The caller cancelled the request');
}

function deadlineError(totalMs: number): GatewayError {
  return new GatewayError(
    GatewayErrorCode.TIMEOUT,
    `The request did not complete within its ${totalMs} ms deadline`,
    { retryable: false },
  );
}
