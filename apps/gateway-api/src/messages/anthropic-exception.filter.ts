import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, Logger } from '@nestjs/common';
import { GatewayError } from '@ai-gateway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { headerValue } from '../http/header-value';
import { setRequestTrace, traceOf } from '../observability/request-meta';
import { toHttpError } from '../http/openai-exception.filter';
import { toAnthropicError } from '../http/anthropic-error';

/**
 * Errors of the Messages door (`/v1/messages…`) in Anthropic's shape — the guard's 401
 * and 429, validation, limits, budgets, upstream failures — with the same statuses,
 * Retry-After and decision-trace headers as the OpenAI-shaped filter.
 */
@Catch()
export class AnthropicExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    sendAnthropicError(
      http.getResponse<FastifyReply>(),
      http.getRequest<FastifyRequest>(),
      exception,
      this.logger,
    );
  }
}

/** Answers a failed Messages request (nothing is sent when the reply already started). */
export function sendAnthropicError(
  reply: FastifyReply,
  request: FastifyRequest,
  exception: unknown,
  logger: Logger,
): void {
  const { status, body, retryAfterMs } = toAnthropicError(toHttpError(exception), request.id);
  const gatewayError = exception instanceof GatewayError ? exception : undefined;
  if (status >= 500 && !gatewayError?.provider) {
    logger.error({ msg: 'request failed', requestId: request.id, error: describe(exception) });
  }
  if (reply.sent || reply.raw.headersSent) return;
  if (retryAfterMs !== undefined) {
    const ms = Math.max(0, Math.ceil(retryAfterMs));
    void reply.header('retry-after', String(Math.ceil(ms / 1000)));
    void reply.header('retry-after-ms', String(ms));
  }
  // The Anthropic SDKs retry 408/409/429/5xx unless told not to: a refusal that cannot
  // pass on a retry (a spent budget, a bad request upstream) says so.
  if (gatewayError && !gatewayError.retryable) void reply.header('x-should-retry', 'false');
  if (gatewayError?.headers) void reply.headers(gatewayError.headers);
  const trace = gatewayError?.trace;
  if (trace && trace.length > 0) {
    void reply.header(
      'x-gateway-attempts',
      String(trace.filter((a) => !a.outcome.startsWith('skipped')).length),
    );
    const text = traceOf(trace);
    setRequestTrace(request, text);
    void reply.header('x-gateway-trace', headerValue(text));
  }
  void reply.header('request-id', request.id);
  void reply.status(status).send(body);
}

function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
}
