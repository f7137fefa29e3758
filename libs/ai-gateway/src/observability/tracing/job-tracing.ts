import type { Link } from '@opentelemetry/api';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  isSpanContextValid,
  propagation,
  trace,
} from '@opentelemetry/api';
import { requestContext } from '../request-context';

const tracer = trace.getTracer('@ai-gateway/core');

/** A W3C trace context as it travels inside a queued job (`traceparent`, `tracestate`). */
export type TraceCarrier = Record<string, string>;

/**
 * The running request's trace context, to store in a job it enqueues: the job's run is
 * then linked to this request. Undefined while the request is not traced.
 */
export function traceCarrier(): TraceCarrier | undefined {
  const span = requestContext.getStore()?.span;
  if (!span) return undefined;
  const carrier: TraceCarrier = {};
  propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
  return carrier.traceparent ? carrier : undefined;
}

/** One run of a queued job. */
export interface JobRun {
  /** The run's request id: its log lines and the calls it makes carry it. */
  requestId: string;
  jobId: string;
  type: string;
  attempt: number;
  /** The queue driver (`bullmq`, `in-process`): `messaging.system`. */
  system: string;
  /** The enqueuing request's trace context, stored with the job. */
  carrier?: unknown;
}

/**
 * Runs a job in a scope of its own: a consumer span `process <type>` — a new trace, linked
 * to the request that enqueued the job — under which the job's model calls hang, and the
 * run's request id on its log lines. While tracing is off only the scope is opened.
 */
export async function runJobTraced<T>(job: JobRun, fn: () => Promise<T>): Promise<T> {
  const link = linkOf(job.carrier);
  const span = tracer.startSpan(
    `process ${job.type}`,
    {
      kind: SpanKind.CONSUMER,
      links: link ? [link] : [],
      attributes: {
        'messaging.system': job.system,
        'messaging.operation.type': 'process',
        'messaging.message.id': job.jobId,
        'gateway.task.type': job.type,
        'gateway.task.attempt': job.attempt,
        'gateway.request_id': job.requestId,
      },
    },
    ROOT_CONTEXT,
  );
  if (!span.isRecording()) return requestContext.run({ requestId: job.requestId }, fn);
  try {
    return await requestContext.run({ requestId: job.requestId, span }, fn);
  } catch (error) {
    span.setAttribute('error.type', errorTypeOf(error));
    span.setStatus({ code: SpanStatusCode.ERROR });
    throw error;
  } finally {
    span.end();
  }
}

/** An error's code: its own, or its classified failure's (a task run's), else `error`. */
function errorTypeOf(error: unknown): string {
  const own = (error as { code?: unknown } | null)?.code;
  if (typeof own === 'string') return own;
  const failure = (error as { failure?: { code?: unknown } } | null)?.failure?.code;
  return typeof failure === 'string' ? failure : 'error';
}

/** The link to the enqueuing request, from a stored carrier (ignored when malformed). */
function linkOf(carrier: unknown): Link | undefined {
  if (carrier === null || typeof carrier !== 'object') return undefined;
  const headers: TraceCarrier = {};
  for (const key of ['traceparent', 'tracestate']) {
    const value = (carrier as Record<string, unknown>)[key];
    if (typeof value === 'string' && value.length <= 512) headers[key] = value;
  }
  const context = trace.getSpanContext(propagation.extract(ROOT_CONTEXT, headers));
  return context && isSpanContextValid(context) ? { context } : undefined;
}
