import type { Logger } from '@nestjs/common';
import type { FailMode } from '../../config/guardrails-config.schema';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import type { GatewayMiddleware, MiddlewareContext } from '../../guardrails/gateway-middleware';
import { isRefusal } from '../../guardrails/gateway-middleware';
import type { ChatRequest, ChatResponse } from '../../types/unified';
import type { GuardrailMetrics } from './guardrail-metrics';

/** One middleware in one request: the middleware, its context, how it fails. */
export interface RunEntry {
  readonly middleware: GatewayMiddleware;
  readonly context: MiddlewareContext & { decision?: string };
  readonly failMode: FailMode;
  readonly timeoutMs: number;
}

/** What the run needs from the chain: its metrics and a logger. */
export interface RunServices {
  readonly metrics: GuardrailMetrics;
  readonly logger: Logger;
}

/** A hook that took longer than its time budget. */
class HookTimeout extends Error {}

/**
 * The middleware of one request, in order: the hooks before the request (in list order),
 * after the answer (in reverse: the first middleware sees the answer last, as in an onion),
 * on failure. Each call has its time budget; a failure or timeout follows the middleware's
 * fail mode — `closed` refuses the request with 503 `guardrail_unavailable`, `open`
 * passes it, counted and logged. A refusal (`refuse(...)`) always stops the request.
 */
export class MiddlewareRun {
  constructor(
    readonly entries: readonly RunEntry[],
    private readonly services: RunServices,
  ) {}

  /** The request after every `beforeRequest` hook (the caller's object untouched). */
  async before(body: ChatRequest): Promise<ChatRequest> {
    let request: ChatRequest = { ...body, messages: body.messages.map((m) => ({ ...m })) };
    try {
      for (const entry of this.entries) {
        const middleware = entry.middleware;
        if (!middleware.beforeRequest) continue;
        entry.context.request = request;
        await this.call(entry, 'before', () => middleware.beforeRequest?.(entry.context));
        request = entry.context.request;
      }
    } finally {
      // Counted once per request, refusals included.
      for (const { middleware, context } of this.entries) {
        if (context.decision !== undefined) {
          this.services.metrics.decided(middleware.name, context.decision);
        }
      }
    }
    for (const entry of this.entries) entry.context.request = request;
    return request;
  }

  /** Whether any middleware looks at complete answers. */
  get changesAnswers(): boolean {
    return this.entries.some((e) => e.middleware.afterResponse !== undefined);
  }

  /** Runs the `afterResponse` hooks, last middleware first, on `response` (changed in place). */
  async after(response: ChatResponse): Promise<void> {
    for (let i = this.entries.length - 1; i >= 0; i--) {
      const entry = this.entries[i];
      const middleware = entry.middleware;
      if (middleware.afterResponse) {
        await this.call(entry, 'after', () => middleware.afterResponse?.(entry.context, response));
      }
    }
  }

  /** The stream ended: `afterStream` hooks, in the background (their failures are logged). */
  streamEnded(completed: boolean): void {
    for (const entry of this.entries) {
      const middleware = entry.middleware;
      if (middleware.afterStream) {
        this.call(entry, 'after', () => middleware.afterStream?.(entry.context, completed)).catch(
          () => undefined,
        );
      }
    }
  }

  /** The request failed: `onError` hooks, in the background (their failures are logged). */
  failed(error: unknown): void {
    if (!(error instanceof GatewayError)) return;
    for (const entry of this.entries) {
      const middleware = entry.middleware;
      if (!middleware.onError) continue;
      Promise.resolve()
        .then(() => middleware.onError?.(entry.context, error))
        .catch((failure: unknown) => this.report(entry, 'error', failure));
    }
  }

  /** `name=decision, …` of every middleware that recorded one (`x-gateway-guardrails`). */
  decisions(): string | undefined {
    let out: string | undefined;
    for (const { middleware, context } of this.entries) {
      if (context.decision === undefined) continue;
      const item = `${middleware.name}=${context.decision}`;
      out = out === undefined ? item : `${out}, ${item}`;
    }
    return out;
  }

  /**
   * A streamed field transform failed: `closed` ends the stream with 503, `open` drops the
   * transform (the text passes untouched from here), counted and logged.
   */
  transformFailed(entry: RunEntry, failure: unknown): void {
    this.report(entry, 'error', failure);
    if (entry.failMode === 'closed') throw this.unavailable(entry, 'error');
  }

  /** One hook call, with its time budget and fail mode. */
  private async call(
    entry: RunEntry,
    hook: 'before' | 'after',
    run: () => void | Promise<void>,
  ): Promise<void> {
    try {
      const result = run();
      if (result && typeof result.then === 'function') {
        await withTimeout(result, entry.timeoutMs);
      }
    } catch (failure) {
      if (isRefusal(failure)) {
        entry.context.decision ??= 'refused';
        throw failure;
      }
      const kind = failure instanceof HookTimeout ? 'timeout' : 'error';
      this.report(entry, kind, failure, hook);
      entry.context.decide(kind);
      if (entry.failMode === 'closed') throw this.unavailable(entry, kind);
    }
  }

  private unavailable(entry: RunEntry, kind: 'timeout' | 'error'): GatewayError {
    return new GatewayError(
      GatewayErrorCode.GUARDRAIL_UNAVAILABLE,
      `Guardrail ${entry.middleware.name} ${kind === 'timeout' ? 'ran out of time' : 'failed'}; ` +
        'it fails closed, so the request was not sent',
      { retryable: false },
    );
  }

  private report(entry: RunEntry, kind: 'timeout' | 'error', failure: unknown, hook = 'stream') {
    this.services.metrics.failed(entry.middleware.name, kind);
    // The failure's own text only: never the request's.
    this.services.logger.warn({
      msg: 'guardrail failed',
      middleware: entry.middleware.name,
      hook,
      kind,
      failMode: entry.failMode,
      requestId: entry.context.requestId,
      error: failure instanceof Error ? failure.message.slice(0, 300) : String(failure),
    });
  }
}

/** `promise`, or a {@link HookTimeout} after `ms`. */
function withTimeout(promise: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new HookTimeout(`no answer within ${ms} ms`)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
