import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import type { FastifyInstance } from 'fastify';
import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';

/**
 * `multipart/form-data` bodies (file uploads: audio transcriptions) are not parsed: the
 * controller gets the upload as a stream, which the gateway reads only as far as its
 * `model` field and then streams on to the provider. The body limit still applies — a
 * declared length over it is a 413 at once, and a stream that grows past it fails with
 * 413 — so nothing beyond the limit is ever read.
 */
export function registerMultipartParser(fastify: FastifyInstance, limitBytes: number): void {
  fastify.addContentTypeParser('multipart/form-data', (request, payload, done) => {
    const declared = Number(request.headers['content-length']);
    if (Number.isFinite(declared) && declared > limitBytes) {
      done(tooLarge(limitBytes), undefined);
      return;
    }
    done(null, capped(payload, limitBytes));
  });
  // An upload answered before anyone read it (a bad header, a refused key, a rate limit)
  // is drained once the answer is out, so the connection is freed and can carry more.
  fastify.addHook('onResponse', (request, _reply, hookDone) => {
    const body = request.body as Partial<Readable> | undefined;
    if (body && typeof body.resume === 'function' && body.readableEnded === false) body.resume();
    hookDone();
  });
}

/**
 * The upload, failing with 413 once it passes `limitBytes`. Piped, not `pipeline`d: an
 * upload over the cap must not destroy the request (and its socket) before the 413 is
 * sent. What the client still sends is read and dropped (as Node does for a body nobody
 * read), so the connection can carry the 413; a client that goes on past another
 * `limitBytes` has its connection closed.
 */
export function capped(upload: Readable, limitBytes: number): Readable {
  let seen = 0;
  const counted = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      seen += chunk.length;
      if (seen > limitBytes) {
        upload.unpipe(counted);
        dropRest(upload, limitBytes);
        callback(tooLarge(limitBytes));
        return;
      }
      callback(null, chunk);
    },
  });
  upload.on('error', (error) => counted.destroy(error));
  return upload.pipe(counted);
}

function dropRest(upload: Readable, limitBytes: number): void {
  let dropped = 0;
  upload.on('data', (chunk: Buffer) => {
    dropped += chunk.length;
    if (dropped > limitBytes) upload.destroy();
  });
  upload.resume();
}

function tooLarge(limitBytes: number): GatewayError {
  return new GatewayError(
    GatewayErrorCode.PAYLOAD_TOO_LARGE,
    `The upload is larger than the gateway accepts (${limitBytes} bytes)`,
    { param: 'file' },
  );
}
