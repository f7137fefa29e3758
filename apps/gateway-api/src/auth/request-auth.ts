import type { Caller } from '@ai-gateway/core';
import type { FastifyRequest } from 'fastify';

/** Who a request authenticated as: the admin key, or a gateway key (with its caller). */
export interface RequestAuth {
  /** True for the admin key: admin endpoints, and every key's usage. */
  admin: boolean;
  /** The gateway key's identity (key id, user, team) — absent for the admin key. */
  caller?: Caller;
}

const authOf = new WeakMap<FastifyRequest, RequestAuth>();

/** Records what the auth guard established for this request. */
export function setRequestAuth(request: FastifyRequest, auth: RequestAuth): void {
  authOf.set(request, auth);
}

/**
 * What the request authenticated as; undefined when gateway auth is switched off (the
 * embedded default), where every caller is trusted and may name itself.
 */
export function requestAuthOf(request: FastifyRequest): RequestAuth | undefined {
  return authOf.get(request);
}
