/**
 * One attempt's abort signal: fires when the caller's signal does or when the attempt's
 * time budget runs out, whichever comes first. Streams keep it alive until they finish,
 * so `dispose()` must be called once the attempt is over to clear the timer.
 */
export class AttemptDeadline {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private readonly onCallerAbort = (): void => this.controller.abort(this.reason);

  constructor(
    private readonly caller: AbortSignal,
    readonly timeoutMs: number,
    private readonly reason: Error,
  ) {
    if (caller.aborted) this.controller.abort(reason);
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

  dispose(): void {
    clearTimeout(this.timer);
    this.caller.removeEventListener('abort', this.onCallerAbort);
  }
}
