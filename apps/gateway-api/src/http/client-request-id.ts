import type { FastifyRequest } from 'fastify';

/** What a caller's own request id may look like (it is echoed in a header and logged). */
const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * The caller's own id for a request: `x-client-request-id` (OpenAI's name for it), else
 * `x-request-id`. Only echoed (`x-client-request-id`) and logged in its own usage column:
 * the request id that keys the usage log, budget holds and leases is always generated
 * by the gateway, since a caller's id may repeat — by accident or to merge requests.
 */
export function clientRequestIdOf(request: FastifyRequest): string | undefined {
  const headers = request.headers;
  const id = headers['x-client-request-id'] ?? headers['x-request-id'];
  return typeof id === 'string' && CLIENT_REQUEST_ID.test(id) ? id : undefined;
}
