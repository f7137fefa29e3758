import { GatewayError, jsonTextTooComplex } from '@ai-gateway/core';
import type { FastifyInstance } from 'fastify';

/**
 * `application/json` bodies: Fastify's own parser (prototype-poisoning checks, body
 * limit) behind a scan of the text. A body nested too deep is a 400 before anything
 * walks it (recursive code further on — canonical cache keys, JSON.stringify, SDK
 * mappers — would throw a RangeError), and one with too many members is a 400 before
 * JSON.parse spends hundreds of milliseconds on it with the event loop stopped.
 */
export function registerJsonParser(fastify: FastifyInstance): void {
  const parse = fastify.getDefaultJsonParser('error', 'error');
  fastify.addContentTypeParser(
    'application/json',
    { parseAs: 'string', bodyLimit: fastify.initialConfig.bodyLimit },
    (request, body, done) => {
      const text = body as string;
      const tooComplex = jsonTextTooComplex(text);
      if (tooComplex) {
        done(
          GatewayError.invalidRequest(`Invalid request: the JSON body has ${tooComplex}`, 'body'),
          undefined,
        );
        return;
      }
      void parse(request, text, done);
    },
  );
}
