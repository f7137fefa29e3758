import { requestContext } from '@ai-gateway/core';
import type { Span, TextMapGetter } from '@opentelemetry/api';
import { ROOT_CONTEXT, SpanKind, SpanStatusCode, propagation, trace } from '@opentelemetry/api';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { IncomingHttpHeaders } from 'node:http';

const SPAN = Symbol('gatewaySpan');
type WithSpan = FastifyRequest & { [SPAN]?: Span };

const tracer = trace.getTracer('@ai-gateway/gateway-api');

/** Reads a caller's `traceparent` / `tracestate` (one value each; a repeated header is ignored). */
const headerGetter: TextMapGetter<IncomingHttpHeaders> = {
  keys: (headers) => Object.keys(headers),
  get: (headers, key) => {
    const value = headers[key];
    return Array.isArray(value) ? undefined : value;
  },
};

/**
 * Every request runs its handler in its scope (`requestContext`): each log line written for
 * it carries its id, and while tracing is on, its server span — continuing the caller's
 * trace when it sent a valid `traceparent` — is the request span the pipeline's spans hang
 * under. The span starts when the request arrives and ends with the response.
 */
export function registerRequestScope(fastify: FastifyInstance, tracing: boolean): void {
  if (tracing) {
    fastify.addHook('onRequest', (request, _reply, done) => {
      const route = request.routeOptions.url;
      const caller = propagation.extract(ROOT_CONTEXT, request.headers, headerGetter);
      (request as WithSpan)[SPAN] = tracer.startSpan(
        route ? `${request.method} ${route}` : request.method,
        {
          kind: SpanKind.SERVER,
          attributes: {
            'http.request.method': request.method,
            'url.path': pathOf(request.url),
            ...(route ? { 'http.route': route } : {}),
            'gateway.request_id': request.id,
          },
        },
        caller,
      );
      done();
    });
    fastify.addHook('onResponse', (request, reply, done) => {
      const span = (request as WithSpan)[SPAN];
      if (span) {
        span.setAttribute('http.response.status_code', reply.statusCode);
        if (reply.statusCode >= 500) {
          span.setAttribute('error.type', String(reply.statusCode));
          span.setStatus({ code: SpanStatusCode.ERROR });
        }
        span.end();
      }
      done();
    });
  }
  // Last hook before the handler, called with the body parsed: the handler and all it awaits
  // run in the scope (Fastify calls the handler from `done`).
  fastify.addHook('preHandler', (request, _reply, done) => {
    requestContext.run(
      { requestId: request.id, span: (request as WithSpan)[SPAN], http: true },
      done,
    );
  });
}

/** The request's span, for its access-log line (its trace and span ids). */
export function requestSpanOf(request: FastifyRequest): Span | undefined {
  return (request as WithSpan)[SPAN];
}

/** The path without its query string (which may carry what does not belong in a trace). */
function pathOf(url: string): string {
  const query = url.indexOf('?');
  return query === -1 ? url : url.slice(0, query);
}
