import type { ResponseMeta } from '@ai-gateway/core';
import type { FastifyRequest } from 'fastify';

const META = Symbol('gatewayMeta');

type WithMeta = FastifyRequest & { [META]?: ResponseMeta };

/** Remembers who served a request, for the access log written when it ends. */
export function setRequestMeta(request: FastifyRequest, meta: ResponseMeta): void {
  (request as WithMeta)[META] = meta;
}

export function getRequestMeta(request: FastifyRequest): ResponseMeta | undefined {
  return (request as WithMeta)[META];
}

const TRACE = Symbol('gatewayTrace');

type WithTrace = FastifyRequest & { [TRACE]?: string };

/** The decision trace of a request, `provider/model=outcome, …`, for the access log. */
export function setRequestTrace(request: FastifyRequest, trace: string): void {
  (request as WithTrace)[TRACE] = trace;
}

export function getRequestTrace(request: FastifyRequest): string | undefined {
  const meta = getRequestMeta(request);
  if (meta && meta.attempts.length > 0) return traceOf(meta.attempts);
  return (request as WithTrace)[TRACE];
}

/** `provider/model=outcome` for every attempt, in order. */
export function traceOf(
  attempts: ReadonlyArray<{ provider: string; model: string; outcome: string }>,
): string {
  return attempts.map((a) => `${a.provider}/${a.model}=${a.outcome}`).join(', ');
}
