import type { FastifyReply } from 'fastify';

/**
 * A signal that fires when the client goes away before the answer was sent, so the
 * gateway stops paying for a provider call nobody will read.
 */
export function abortOnClientClose(reply: FastifyReply): AbortSignal {
  const controller = new AbortController();
  reply.raw.once('close', () => {
    if (!reply.raw.writableFinished) controller.abort();
  });
  return controller.signal;
}
