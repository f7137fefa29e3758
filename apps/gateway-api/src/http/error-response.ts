import { GatewayErrorCode } from '@ai-gateway/core';
import { TaskErrorCode } from '@ai-gateway/resume';
import type { TaskError } from '@ai-gateway/resume';

/** OpenAI's error body: what every client library already knows how to read. */
export interface OpenAiErrorBody {
  error: { message: string; type: string; param: string | null; code: string | null };
}

export interface HttpFailure {
  status: number;
  type: string;
}

/**
 * The only table from gateway error codes to HTTP statuses. The switch is exhaustive:
 * a new code does not compile until it has a status here.
 */
export function httpFailureFor(code: GatewayErrorCode): HttpFailure {
  switch (code) {
    case GatewayErrorCode.INVALID_REQUEST:
    case GatewayErrorCode.UNSUPPORTED_FEATURE:
    case GatewayErrorCode.BAD_REQUEST:
    case GatewayErrorCode.CONTEXT_LENGTH_EXCEEDED:
    case GatewayErrorCode.CONTENT_FILTERED:
    case GatewayErrorCode.PII_DETECTED:
    case GatewayErrorCode.PROMPT_INJECTION_DETECTED:
    case GatewayErrorCode.CONTENT_FLAGGED:
      return { status: 400, type: 'invalid_request_error' };
    case GatewayErrorCode.INVALID_API_KEY:
      return { status: 401, type: 'invalid_request_error' };
    case GatewayErrorCode.MODEL_NOT_ALLOWED:
      return { status: 403, type: 'permission_error' };
    // As OpenAI answers an unknown model: clients branch on the 404 (NotFoundError).
    case GatewayErrorCode.MODEL_NOT_FOUND:
    case GatewayErrorCode.NOT_FOUND:
      return { status: 404, type: 'invalid_request_error' };
    case GatewayErrorCode.PAYLOAD_TOO_LARGE:
      return { status: 413, type: 'invalid_request_error' };
    case GatewayErrorCode.RATE_LIMITED:
    case GatewayErrorCode.BUDGET_EXCEEDED:
    case GatewayErrorCode.RATE_LIMIT_EXCEEDED:
      return { status: 429, type: 'rate_limit_error' };
    case GatewayErrorCode.CANCELLED:
      return { status: 499, type: 'invalid_request_error' };
    case GatewayErrorCode.AUTH:
    case GatewayErrorCode.SERVER_ERROR:
    case GatewayErrorCode.CONNECTION:
    case GatewayErrorCode.STREAM_INTERRUPTED:
      return { status: 502, type: 'api_error' };
    case GatewayErrorCode.TIMEOUT:
      return { status: 504, type: 'api_error' };
    case GatewayErrorCode.NO_PROVIDER_AVAILABLE:
    case GatewayErrorCode.BUDGET_UNAVAILABLE:
    case GatewayErrorCode.AUTH_UNAVAILABLE:
    case GatewayErrorCode.RATE_LIMIT_UNAVAILABLE:
    case GatewayErrorCode.GUARDRAIL_UNAVAILABLE:
      return { status: 503, type: 'api_error' };
    case GatewayErrorCode.INVALID_CONFIG:
    case GatewayErrorCode.INTERNAL:
      return { status: 500, type: 'server_error' };
  }
}

/** The same for the task engine's codes (`TaskError`, from @ai-gateway/resume). */
export function httpFailureForTask(code: TaskErrorCode): HttpFailure {
  switch (code) {
    case TaskErrorCode.IDEMPOTENCY_CONFLICT:
      return { status: 409, type: 'invalid_request_error' };
    // The models answered, but nothing that passed the task's checks.
    case TaskErrorCode.INVALID_OUTPUT:
      return { status: 502, type: 'api_error' };
    case TaskErrorCode.QUEUE_UNAVAILABLE:
      return { status: 503, type: 'api_error' };
    // A boot failure; should one ever reach a request, it is the gateway's own fault.
    case TaskErrorCode.INVALID_DEFINITION:
      return { status: 500, type: 'server_error' };
  }
}

/** Status, OpenAI body and Retry-After of a task engine failure (`TaskError`). */
export function taskHttpError(error: TaskError): {
  status: number;
  body: OpenAiErrorBody;
  retryAfterMs?: number;
} {
  const { status, type } = httpFailureForTask(error.code);
  return {
    status,
    body: errorBody(error.message, type, error.code, error.param ?? null),
    retryAfterMs: error.retryAfterMs,
  };
}

export function errorBody(
  message: string,
  type: string,
  code: string | null,
  param: string | null = null,
): OpenAiErrorBody {
  return { error: { message, type, param, code } };
}
