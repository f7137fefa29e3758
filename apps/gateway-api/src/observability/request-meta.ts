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
