import {
  AnthropicError,
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
} from '@anthropic-ai/sdk';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import { timeoutError, upstreamError } from '../../errors/http-status-error.mapper';
import { transportError } from '../http/abort';
import type { ProviderCallContext } from '../provider-adapter.interface';

/**
 * The HTTP status each Anthropic error type travels with. An `error` event inside a 200
 * stream has only its type, so it is classified as the status that type would have had
 * (an `overloaded_error` event is a 529: server_error, retryable).
 */
export const ANTHROPIC_ERROR_STATUS: Readonly<Record<string, number>> = {
  invalid_request_error: 400,
  authentication_error: 401,
  billing_error: 402,
  permission_error: 403,
  not_found_error: 404,
  conflict_error: 409,
  request_too_large: 413,
  rate_limit_error: 429,
  api_error: 500,
  timeout_error: 504,
  overloaded_error: 529,
};

/**
 * Any failure of an SDK call (or of reading its stream) as a GatewayError. Provider
 * messages are kept, redacted as the GatewayError is built (one may quote a key);
 * transport failures and aborts go through the shared transport mapping so every adapter
 * reports them alike.
 */
export function anthropicError(
  provider: string,
  ctx: ProviderCallContext,
  error: unknown,
): GatewayError {
  if (error instanceof GatewayError) return error;
  if (error instanceof APIConnectionTimeoutError) return timeoutError(provider, ctx.timeoutMs);
  if (error instanceof APIUserAbortError) return transportError(provider, ctx, error);
  if (error instanceof APIConnectionError)
    return transportError(provider, ctx, error.cause ?? error);
  if (error instanceof APIError) {
    // instanceof widens the SDK's generic parameters to any; these are their real types.
    const apiError = error as APIError<number | undefined, Headers | undefined>;
    const type = apiError.type ?? undefined;
    const status = apiError.status ?? (type ? ANTHROPIC_ERROR_STATUS[type] : undefined) ?? 500;
    return upstreamError({
      provider,
      status,
      message: apiError.apiMessage ?? undefined,
      type,
      retryAfter: apiError.status === undefined ? undefined : apiError.headers?.get('retry-after'),
    });
  }
  // By name: the body parser may live in another realm (undici's Response), where instanceof fails.
  if ((error as { name?: unknown } | null)?.name === 'SyntaxError')
    return malformed(provider, error);
  if (error instanceof AnthropicError) {
    // The SDK's own checks (bad options, unexpected shapes): the call never got an answer we can use.
    return new GatewayError(
      GatewayErrorCode.SERVER_ERROR,
      `Provider ${provider} call failed in the SDK`,
      {
        provider,
        retryable: false,
        cause: error,
      },
    );
  }
  return transportError(provider, ctx, error);
}

/** A body or stream event that is not the JSON Anthropic promises. */
export function malformed(provider: string, cause?: unknown): GatewayError {
  return new GatewayError(
    GatewayErrorCode.SERVER_ERROR,
    `Provider ${provider} sent a malformed response`,
    {
      provider,
      cause,
    },
  );
}

/**
 * A stream that broke after it was accepted. Cut connections become STREAM_INTERRUPTED
 * (as in the OpenAI-compatible adapter); provider errors and timeouts keep their code.
 */
export function streamError(
  provider: string,
  ctx: ProviderCallContext,
  error: unknown,
): GatewayError {
  const mapped = anthropicError(provider, ctx, error);
  if (mapped.code !== GatewayErrorCode.CONNECTION || ctx.signal.aborted) return mapped;
  return new GatewayError(
    GatewayErrorCode.STREAM_INTERRUPTED,
    `Provider ${provider} cut the stream mid-way`,
    {
      provider,
      retryable: true,
      cause: mapped,
    },
  );
}
