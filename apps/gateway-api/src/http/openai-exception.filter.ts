import type { ArgumentsHost, ExceptionFilter } from '@nestjs/common';
import { Catch, HttpException, Logger } from '@nestjs/common';
import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import { TaskError } from '@ai-gateway/resume';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OpenAiErrorBody } from './error-response';
import { errorBody, httpFailureFor, taskHttpError } from './error-response';
import { headerValue } from './header-value';
import { setRequestTrace, traceOf } from '../observability/request-meta';
import { isMessagesPath, toAnthropicError } from './anthropic-error';

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
}

/**
 * Translates whatever was thrown into a status and an OpenAI-shaped body: the core's
 * `GatewayError`, the task engine's `TaskError`, Nest's and Fastify's own errors.
 */
export function toHttpError(error: unknown): {
  status: number;
  body: OpenAiErrorBody;
  retryAfterMs?: number;
} {
  if (error instanceof GatewayError) {
    const { status, type } = httpFailureFor(error.code);
    return {
      status,
      body: errorBody(error.message, type, error.code, error.param ?? null),
      retryAfterMs: error.retryAfterMs,
    };
  }
  if (error instanceof TaskError) return taskHttpError(error);
  if (error instanceof HttpException) return nestHttpError(error);
  // Fastify's own errors (body parsing, size limit) carry a 4xx statusCode and a code.
  const fastifyError = error as FastifyLikeError;
  if (
    typeof fastifyError?.statusCode === 'number' &&
    fastifyError.statusCode >= 400 &&
    fastifyError.statusCode < 500
  ) {
    return fastifyHttpError(fastifyError);
  }
  return {
    status: 500,
    body: errorBody('The gateway failed to handle this request', 'server_error', 'internal'),
  };
}

/**
 * Nest wraps Fastify's parsing errors (bad JSON, size limit) in HttpExceptions; a 429 is
 * `@nestjs/throttler`'s ThrottlerException (its guard has set any Retry-After itself).
 */
function nestHttpError(error: HttpException): { status: number; body: OpenAiErrorBody } {
  const status = error.getStatus();
  switch (status) {
    case 404:
      return { status, body: errorBody('Unknown endpoint', 'invalid_request_error', 'not_found') };
    case 413:
      return fastifyHttpError({ statusCode: 413, code: 'FST_ERR_CTP_BODY_TOO_LARGE' });
    case 415:
      return fastifyHttpError({ statusCode: 415, code: 'FST_ERR_CTP_INVALID_MEDIA_TYPE' });
    case 429:
      return {
        status,
        body: errorBody(
          'Too many requests to this endpoint; retry later',
          'rate_limit_error',
          GatewayErrorCode.RATE_LIMIT_EXCEEDED,
        ),
      };
    case 503:
      // Terminus' readiness failure: a probe (and a load balancer) reads the status.
      return {
        status,
        body: errorBody('The gateway is not ready to serve', 'server_error', 'not_ready'),
      };
    default:
      if (status < 500) return fastifyHttpError({ statusCode: status, message: error.message });
      return {
        status: 500,
        body: errorBody('The gateway failed to handle this request', 'server_error', 'internal'),
      };
  }
}

function fastifyHttpError(error: FastifyLikeError): { status: number; body: OpenAiErrorBody } {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return {
        status: 413,
        body: errorBody(
          'Request body is larger than the gateway accepts',
          'invalid_request_error',
          'payload_too_large',
        ),
      };
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return {
        status: 415,
        body: errorBody(
          'Content-Type must be application/json',
          'invalid_request_error',
          'unsupported_media_type',
        ),
      };
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return {
        status: 400,
        body: errorBody(
          'Request body is empty; a JSON object is required',
          'invalid_request_error',
          'invalid_json',
          'body',
        ),
      };
    default:
      if (
        error.code === 'FST_ERR_CTP_INVALID_JSON_BODY' ||
        /JSON|Unexpected|token/i.test(error.message ?? '')
      ) {
        return {
          status: 400,
          body: errorBody(
            'Request body is not valid JSON',
            'invalid_request_error',
            'invalid_json',
            'body',
          ),
        };
      }
      return {
        status: error.statusCode ?? 400,
        body: errorBody(error.message ?? 'Bad request', 'invalid_request_error', 'invalid_request'),
      };
  }
}

/**
 * The gateway app's one exception filter: errors leave in OpenAI's shape, with
 * Retry-After when a provider asked for a pause, and never with a stack trace.
 */
@Catch()
export class OpenAiExceptionFilter implements ExceptionFilter {
  private readonly logger = new Logger('HttpErrors');

  catch(exception: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const reply = http.getResponse<FastifyReply>();
    const request = http.getRequest<FastifyRequest>();
    sendHttpError(reply, request, exception, this.logger);
  }
}

export function sendHttpError(
  reply: FastifyReply,
  request: FastifyRequest,
  exception: unknown,
  logger: Logger,
): void {
  const failure = toHttpError(exception);
  // Anthropic's door answers in Anthropic's error shape, Fastify's parse errors included.
  const { status, body, retryAfterMs } = isMessagesPath(request.url)
    ? toAnthropicError(failure, request.id)
    : failure;
  if (status >= 500 && !(exception instanceof GatewayError && exception.provider)) {
    logger.error({ msg: 'request failed', requestId: request.id, error: describe(exception) });
  }
  if (reply.sent || reply.raw.headersSent) return;
  if (retryAfterMs !== undefined) {
    // Both: Retry-After (whole seconds, the standard) and retry-after-ms (exact; the
    // official OpenAI clients read it first).
    const ms = Math.max(0, Math.ceil(retryAfterMs));
    void reply.header('retry-after', String(Math.ceil(ms / 1000)));
    void reply.header('retry-after-ms', String(ms));
  }
  if (exception instanceof GatewayError && exception.headers) void reply.headers(exception.headers);
  // The decision trace travels with failures too: what was tried, and how each ended.
  const trace = exception instanceof GatewayError ? exception.trace : undefined;
  if (trace && trace.length > 0) {
    const sent = trace.filter((a) => !a.outcome.startsWith('skipped')).length;
    void reply.header('x-gateway-attempts', String(sent));
    const text = traceOf(trace);
    setRequestTrace(request, text);
    void reply.header('x-gateway-trace', headerValue(text));
  }
  void reply.status(status).send(body);
}

function describe(exception: unknown): string {
  return exception instanceof Error ? `${exception.name}: ${exception.message}` : String(exception);
}
