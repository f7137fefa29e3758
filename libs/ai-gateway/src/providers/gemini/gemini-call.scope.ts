import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError, isGatewayError } from '../../errors/gateway.error';
import { timeoutError } from '../../errors/http-status-error.mapper';
import type { ProviderCallContext } from '../provider-adapter.interface';

/**
 * The abort signal of one Gemini call: the caller's signal, the attempt deadline, and an
 * early stop by the stream's consumer. The SDK's own `timeout` option is not used: it
 * starts a timer it never clears, which would hold the event loop for `timeoutMs` after
 * every call; this one is cleared by `end()`.
 */
export class GeminiCallScope {
  private readonly controller = new AbortController();
  private readonly timer: NodeJS.Timeout;
  private timedOut = false;
  private readonly onCallerAbort = (): void => this.controller.abort();

  constructor(
    private readonly ctx: ProviderCallContext,
    private readonly timeoutMs: number,
  ) {
    if (ctx.signal.aborted) this.controller.abort();
    else ctx.signal.addEventListener('abort', this.onCallerAbort, { once: true });
    this.timer = setTimeout(() => {
      this.timedOut = true;
      this.controller.abort();
    }, timeoutMs);
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  get aborted(): boolean {
    return this.controller.signal.aborted;
  }

  /** Aborts the call (the consumer stopped reading): the connection is released. */
  cancel(): void {
    this.controller.abort();
  }

  /**
   * Stops the deadline once a stream has sent its first response: the attempt's limit is
   * a first-token limit there, and the gateway's idle timer and the caller's signal bound
   * the rest.
   */
  disarm(): void {
    clearTimeout(this.timer);
  }

  /** Clears the deadline and unhooks from the caller's signal. Idempotent. */
  end(): void {
    clearTimeout(this.timer);
    this.ctx.signal.removeEventListener('abort', this.onCallerAbort);
  }

  /** Why the call was aborted, as the error to report. */
  abortError(provider: string): GatewayError {
    if (this.timedOut) return timeoutError(provider, this.timeoutMs);
    const reason: unknown = this.ctx.signal.reason;
    if (isGatewayError(reason)) return reason;
    if (reason instanceof Error && reason.name === 'TimeoutError')
      return timeoutError(provider, this.ctx.timeoutMs);
    // Cancelled by the caller: nothing to retry, nobody is waiting for the answer.
    return new GatewayError(GatewayErrorCode.TIMEOUT, `Provider ${provider} call was cancelled`, {
      provider,
      retryable: false,
    });
  }
}
