import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { GatewayMetrics, JsonLogger, createPino } from '@ai-gateway/core';
import type { GatewayConfig } from '@ai-gateway/core';
import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Logger as Pino } from 'pino';
import { AppModule } from './app.module';
import { requestAuthOf } from './auth/request-auth';
import { getRequestMeta, getRequestTrace } from './observability/request-meta';

const REQUEST_ID = /^[\w.:-]{1,128}$/;

export interface GatewayAppOptions {
  config: GatewayConfig;
  /** Log sink; defaults to JSON lines on stdout at the configured level. */
  pino?: Pino;
}

/**
 * Builds the gateway app on Fastify (not listening yet): request ids, body limit,
 * OpenAI-shaped errors for everything Fastify rejects before a controller runs, and
 * one structured access-log line per request (no prompt text, no keys).
 */
export async function createGatewayApp({
  config,
  pino,
}: GatewayAppOptions): Promise<NestFastifyApplication> {
  const logger = new JsonLogger(
    pino ?? createPino(config.logging.level, { service: 'gateway-api' }),
  );
  const adapter = new FastifyAdapter({
    bodyLimit: config.server.bodyLimitBytes,
    requestIdHeader: false,
    genReqId: (req: IncomingMessage) => {
      const incoming = req.headers['x-request-id'];
      return typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    },
    return503OnClosing: true,
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config),
    adapter,
    {
      logger,
      bufferLogs: false,
    },
  );
  app.enableShutdownHooks();

  const fastify = app.getHttpAdapter().getInstance();
  const metrics = app.get(GatewayMetrics);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ route, status: reply.statusCode });
    // Built only when it will be written: the trace string costs on every request.
    if (!logger.pino.isLevelEnabled('info')) return done();
    const meta = getRequestMeta(request);
    logger.pino.info({
      msg: 'request',
      requestId: request.id,
      method: request.method,
      route,
      status: reply.statusCode,
      ms: Math.round(reply.elapsedTime * 100) / 100,
      keyId: requestAuthOf(request)?.caller?.keyId,
      provider: meta?.provider,
      model: meta?.model,
      tokensIn: meta?.usage?.prompt,
      tokensOut: meta?.usage?.completion,
      attempts: meta?.attempts.length,
      trace: getRequestTrace(request),
    });
    done();
  });
  await app.init();
  return app;
}
