import type { FastifyReply } from 'fastify';

/**
 * Cancels the request when the client goes away before the answer was sent, so the
 * gateway stops paying for a provider call nobody will read.
 */
export function cancelOnClientClose(reply: FastifyReply): (cancel: () => void) => void {
  return (cancel) => {
    reply.raw.once('close', () => {
      if (!reply.raw.writableFinished) cancel();
    });
  };
}
