import { isGatewayError } from '../../errors/gateway.error';

/**
 * One attempt's abort signal: fires when the caller's signal does or when the attempt's
 * time budget runs out, whichever comes first. Streams keep it alive until they finish,
 * so `dispose()` must be called once the attempt is over to clear the timer.
 */
export class AttemptDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  // The gateway aborts with a GatewayError naming its timer (first token, idle, deadline):
  // keep it, so the failure says which timer ended the call.
  private readonly onCallerAbort = (): void =>
    this.controller.abort(isGatewayError(this.caller.reason) ? this.caller.reason : this.reason);

  constructor(
    private readonly caller: AbortSignal,
    readonly timeoutMs: number,
    private readonly reason: Error,
  ) {
    if (caller.aborted) this.onCallerAbort();
    else caller.addEventListener('abort', this.onCallerAbort, { once: true });
    this.timer = setTimeout(() => this.controller.abort(reason), timeoutMs);
    // A stream nobody reads must not keep the process alive until its deadline.
    this.timer.unref();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  /** Why the call was aborted (undefined while it was not). */
  get abortReason(): unknown {
    const signal = this.controller.signal;
    return signal.aborted ? (signal.reason as unknown) : undefined;
  }

  /**
   * Stops the attempt's own timer but stays linked to the caller: a stream that has sent
   * its first line is then bounded by the gateway's idle timer and deadline instead.
   */
  disarm(): void {
    clearTimeout(this.timer);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.caller.removeEventListener('abort', this.onCallerAbort);
  }
}
