import type { Span } from '@opentelemetry/api';
import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * What a request's code can ask about the request it runs for, wherever it is: its id, and
 * its span while tracing records it. Opened once per request — by the HTTP app around its
 * handler, or by a pipeline for an in-process call — and read, not passed along.
 */
export interface RequestScope {
  readonly requestId: string;
  /** The request's span: the HTTP server span, or the library's own span of the call. */
  readonly span?: Span;
  /**
   * Opened by the HTTP app: its server span is the request span, and the pipeline adds none
   * of its own inside it.
   */
  readonly http?: boolean;
  /** Set once the HTTP app's request span is taken by the request's first pipeline call. */
  claimed?: boolean;
  /** The library started `span` and ends it when the request ends. */
  readonly ownsSpan?: boolean;
}

/** The open request of the code running now (AsyncLocalStorage: follows awaits and callbacks). */
export const requestContext = new AsyncLocalStorage<RequestScope>();

/**
 * The fields every log line of a request carries: its id and, while it is traced, the trace
 * and span ids. A pino `mixin`: read per line written, nothing is built per request. A new
 * object each time — pino merges the line's own fields into it.
 */
export function requestLogFields(): Record<string, string> {
  const scope = requestContext.getStore();
  if (!scope) return {};
  if (!scope.span) return { requestId: scope.requestId };
  const { traceId, spanId } = scope.span.spanContext();
  return { requestId: scope.requestId, traceId, spanId };
}
