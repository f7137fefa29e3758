import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { GatewayConfigService, GatewayMetrics, JsonLogger, createPino } from '@ai-gateway/core';
import type { AiGatewayModuleExtras, ConfigReloadSource, GatewayConfig } from '@ai-gateway/core';
import { randomUUID } from 'node:crypto';
import type { Logger as Pino } from 'pino';
import { AppModule } from './app.module';
import { registerJsonParser } from './http/json-body.parser';
import { requestAuthOf } from './auth/request-auth';
import { clientRequestIdOf } from './http/client-request-id';
import { registerApiDocs } from './docs/api-docs.routes';
import { registerConsole } from './console/console.routes';
import { getRequestMeta, getRequestTrace } from './observability/request-meta';
import { registerRequestScope, requestSpanOf } from './observability/request-scope';
import type { AppTelemetry } from './observability/telemetry-shutdown';
import { capConnections, httpServerOptions } from './server/http-server.options';

export interface GatewayAppOptions {
  config: GatewayConfig;
  /** Log sink; defaults to JSON lines on stdout at the configured level. */
  pino?: Pino;
  /** How a hot reload reads the configuration again (the YAML file `main.ts` loaded). */
  reload?: ConfigReloadSource;
  /**
   * The app's OpenTelemetry SDK (`@ai-gateway/telemetry`, started by `main.ts`): while it is
   * enabled each request gets a server span; it is flushed when the app shuts down.
   */
  telemetry?: AppTelemetry;
  /** Middleware classes of an embedding app (`GatewayMiddleware`), run where `guardrails` names them. */
  middleware?: AiGatewayModuleExtras['middleware'];
}

/**
 * Builds the gateway app on Fastify (not listening yet): request ids, body limit,
 * OpenAI-shaped errors for everything Fastify rejects before a controller runs, and
 * one structured access-log line per request (no prompt text, no keys).
 */
export async function createGatewayApp({
  config,
  pino,
  reload,
  telemetry,
  middleware,
}: GatewayAppOptions): Promise<NestFastifyApplication> {
  const logger = new JsonLogger(
    pino ?? createPino(config.logging.level, { service: 'gateway-api' }),
  );
  const adapter = new FastifyAdapter({
    bodyLimit: config.server.bodyLimitBytes,
    requestIdHeader: false,
    // Always ours: a caller's id is kept apart (x-client-request-id, see clientRequestIdOf).
    genReqId: () => randomUUID(),
    return503OnClosing: true,
    // Request, header and keep-alive timeouts, trusted proxies (`server.*`).
    ...httpServerOptions(config.server),
  });
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(config, reload, telemetry, middleware),
    adapter,
    // Our own JSON parser (below) bounds the nesting depth before parsing.
    { logger, bufferLogs: false, bodyParser: false },
  );
  // SIGTERM and SIGINT end it; SIGHUP reloads the configuration (main.ts), not a shutdown —
  // Nest's default list would treat it as one.
  app.enableShutdownHooks(['SIGTERM', 'SIGINT']);

  const fastify = app.getHttpAdapter().getInstance();
  capConnections(fastify.server, config.server);
  registerJsonParser(fastify);
  const metrics = app.get(GatewayMetrics);
  // A reload may change the log level: the next line is written at the new one.
  app.get(GatewayConfigService).onChange((next) => {
    logger.pino.level = next.logging.level;
  });
  registerRequestScope(fastify, telemetry?.enabled ?? false);
  fastify.addHook('onRequest', (request, reply, done) => {
    void reply.header('x-request-id', request.id);
    const clientId = clientRequestIdOf(request);
    if (clientId) void reply.header('x-client-request-id', clientId);
    done();
  });
  fastify.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched';
    metrics.httpRequests.inc({ route, status: reply.statusCode });
    // Built only when it will be written: the trace string costs on every request.
    if (!logger.pino.isLevelEnabled('info')) return done();
    const meta = getRequestMeta(request);
    const span = requestSpanOf(request)?.spanContext();
    logger.pino.info({
      msg: 'request',
      requestId: request.id,
      traceId: span?.traceId,
      spanId: span?.spanId,
      clientRequestId: clientRequestIdOf(request),
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
  // GET /openapi.json and /docs (public; nothing of the config in them).
  registerApiDocs(app);
  // The operator console at /console/ (public files; its API calls carry the operator's key).
  registerConsole(app);
  await app.init();
  return app;
}
