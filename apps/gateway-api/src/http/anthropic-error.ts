import { GatewayErrorCode } from '@ai-gateway/core';
import type { OpenAiErrorBody } from './error-response';

/** Anthropic's error body: what the Anthropic SDKs read (`error.type`, `error.message`). */
export interface AnthropicErrorBody {
  type: 'error';
  error: {
    type: AnthropicErrorType;
    message: string;
    /**
     * The gateway's own code and the field it names (`unsupported_feature`, `messages[0]…`):
     * Anthropic's shape has no place for them, and its SDK reads `details.error_code` into
     * `APIError.errorCode`.
     */
    details?: { error_code: string; param: string | null };
  };
  request_id?: string;
}

export type AnthropicErrorType =
  | 'invalid_request_error'
  | 'authentication_error'
  | 'permission_error'
  | 'not_found_error'
  | 'request_too_large'
  | 'rate_limit_error'
  | 'api_error'
  | 'overloaded_error';

/** The paths whose every error leaves in Anthropic's shape. */
export function isMessagesPath(url: string | undefined): boolean {
  return (
    url === '/v1/messages' ||
    url?.startsWith('/v1/messages/') === true ||
    url?.startsWith('/v1/messages?') === true
  );
}

/**
 * Anthropic's error type for an HTTP status, as its API documents them. The status itself
 * comes from the app's one table (`httpFailureFor` via `toHttpError`), so the Messages
 * door answers with the same statuses as every other; the exception is `model_not_found`,
 * which Anthropic answers with 404 `not_found_error`.
 */
export function anthropicErrorTypeOf(status: number): AnthropicErrorType {
  switch (status) {
    case 401:
      return 'authentication_error';
    case 403:
      return 'permission_error';
    case 404:
      return 'not_found_error';
    case 413:
      return 'request_too_large';
    case 429:
      return 'rate_limit_error';
    case 503:
    case 529:
      return 'overloaded_error';
    default:
      return status >= 500 ? 'api_error' : 'invalid_request_error';
  }
}

/**
 * An HTTP failure as the app's one translation (`toHttpError`) made it, in Anthropic's
 * shape. Pure (it imports no filter), so any filter or stream writer can reshape with it.
 */
export function toAnthropicError(
  failure: { status: number; body: OpenAiErrorBody; retryAfterMs?: number },
  requestId?: string,
): { status: number; body: AnthropicErrorBody; retryAfterMs?: number } {
  const status =
    failure.body.error.code === GatewayErrorCode.MODEL_NOT_FOUND ? 404 : failure.status;
  return {
    status,
    body: {
      type: 'error',
      error: {
        type: anthropicErrorTypeOf(status),
        message: failure.body.error.message,
        ...(failure.body.error.code
          ? { details: { error_code: failure.body.error.code, param: failure.body.error.param } }
          : {}),
      },
      ...(requestId ? { request_id: requestId } : {}),
    },
    retryAfterMs: failure.retryAfterMs,
  };
}
