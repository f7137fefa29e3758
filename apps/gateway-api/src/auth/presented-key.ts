import type { FastifyRequest } from 'fastify';

/**
 * The key a request presents: `Authorization: Bearer <key>` (what the OpenAI clients
 * send) or `X-API-Key: <key>`. Undefined when there is none.
 */
export function presentedKey(request: FastifyRequest): string | undefined {
  const authorization = request.headers.authorization;
  if (typeof authorization === 'string') {
    const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
    if (match) return match[1];
  }
  const apiKey = request.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey !== '' ? apiKey.trim() : undefined;
}
