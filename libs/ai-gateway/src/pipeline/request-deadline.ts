import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';

/**
 * The request's total deadline: one timer that bounds every attempt and every backoff,
 * linked to the caller's own signal (client gone). Attempts hang their own, shorter
 * timers below it with `attempt()`.
 */
export class RequestDeadline {
  readonly signal: AbortSignal;
  readonly expiresAt: number;
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly unlink?: () => void;

  constructor(
    readonly totalMs: number,
    caller?: AbortSignal,
    private readonly now: () => number = Date.now,
  ) {
    this.signal = this.controller.signal;
    this.expiresAt = now() + totalMs;
    this.timer = setTimeout(() => this.controller.abort(deadlineError(totalMs)), totalMs);
    this.timer.unref();
    if (caller) {
      if (caller.aborted) this.controller.abort(caller.reason);
      const onAbort = (): void => this.controller.abort(caller.reason);
      caller.addEventListener('abort', onAbort, { once: true });
      this.unlink = () => caller.removeEventListener('abort', onAbort);
    }
  }

  get remainingMs(): number {
    return Math.max(0, this.expiresAt - this.now());
  }

  get expired(): boolean {
    return this.signal.aborted;
  }

  /** Why the request stopped: the deadline's error, or cancellation by the caller. */
  get reason(): GatewayError {
    const reason: unknown = this.signal.reason;
    return reason instanceof GatewayError
      ? reason
      : new GatewayError(GatewayErrorCode.CANCELLED, 'The caller cancelled the request');
  }

  /**
   * A child signal for one attempt, aborted after `limitMs` with `onLimit()`'s error, or
   * when the request itself stops. `release()` clears the timer and the link.
   */
  attempt(
    limitMs: number | undefined,
    onLimit: () => GatewayError,
  ): { signal: AbortSignal; release(): void; disarm(): void; abort(reason: GatewayError): void } {
    const controller = new AbortController();
    const onParent = (): void => controller.abort(this.signal.reason);
    if (this.signal.aborted) controller.abort(this.signal.reason);
    else this.signal.addEventListener('abort', onParent, { once: true });
    let timer: NodeJS.Timeout | undefined;
    if (limitMs !== undefined && limitMs < this.remainingMs) {
      timer = setTimeout(() => controller.abort(onLimit()), limitMs);
      timer.unref();
    }
    return {
      signal: controller.signal,
      abort: (reason) => controller.abort(reason),
      // Streams: once the first chunk is in, only the idle timer and the deadline apply.
      disarm: () => {
        if (timer) clearTimeout(timer);
      },
      release: () => {
        if (timer) clearTimeout(timer);
        this.signal.removeEventListener('abort', onParent);
      },
    };
  }

  /** Waits `ms`, or less if the request stops first (then rejects with the reason). */
  sleep(ms: number): Promise<void> {
    if (this.signal.aborted) return Promise.reject(this.reason);
    return new Promise((resolve, reject) => {
      const onAbort = (): void => {
        clearTimeout(timer);
        reject(this.reason);
      };
      const timer = setTimeout(() => {
        this.signal.removeEventListener('abort', onAbort);
        resolve();
      }, ms);
      this.signal.addEventListener('abort', onAbort, { once: true });
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.unlink?.();
  }
}

function deadlineError(totalMs: number): GatewayError {
  return new GatewayError(
    GatewayErrorCode.TIMEOUT,
    `The request did not complete within its ${totalMs} ms deadline`,
    {
      retryable: false,
    },
  );
}
