import type { ErrorDetails } from '@google/generative-ai';
import {
  GoogleGenerativeAIAbortError,
  GoogleGenerativeAIError,
  GoogleGenerativeAIFetchError,
  GoogleGenerativeAIRequestInputError,
  GoogleGenerativeAIResponseError,
} from '@google/generative-ai';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError, isGatewayError } from '../../errors/gateway.error';
import { connectionError, upstreamError } from '../../errors/http-status-error.mapper';
import type { GeminiCallScope } from './gemini-call.scope';

/** Google's error detail entries (`google.rpc.*`); RetryInfo carries `retryDelay`. */
type ErrorDetail = ErrorDetails & { retryDelay?: unknown };

/** Gemini words an overlong prompt this way; the shared table does not know it. */
const CONTEXT_LENGTH = /input token count.*exceeds|exceeds the maximum number of tokens/i;
const INVALID_KEY = /API key not valid|API key expired|API_KEY_INVALID/i;

/**
 * Maps whatever a Gemini SDK call threw to a `GatewayError`. Aborts are explained by the
 * call scope (deadline, caller, early stop). The SDK reports network failures as plain
 * `GoogleGenerativeAIError`s (dropping the cause), recognised by their fixed wording;
 * its messages can quote response bodies, so they are never copied into ours.
 */
export function toGatewayError(
  error: unknown,
  provider: string,
  scope?: GeminiCallScope,
): GatewayError {
  if (isGatewayError(error)) return error;
  if (scope?.aborted) return scope.abortError(provider);
  if (error instanceof GoogleGenerativeAIFetchError) return fetchError(error, provider);
  if (error instanceof GoogleGenerativeAIAbortError) {
    return new GatewayError(GatewayErrorCode.TIMEOUT, `Provider ${provider} call was aborted`, {
      provider,
    });
  }
  if (error instanceof GoogleGenerativeAIResponseError) {
    return new GatewayError(
      GatewayErrorCode.CONTENT_FILTERED,
      `Provider ${provider} blocked the response`,
      {
        provider,
      },
    );
  }
  if (error instanceof GoogleGenerativeAIRequestInputError) {
    return new GatewayError(
      GatewayErrorCode.BAD_REQUEST,
      `Provider ${provider} SDK refused the request`,
      {
        provider,
        cause: error,
      },
    );
  }
  const message = error instanceof Error ? error.message : '';
  if (
    error instanceof GoogleGenerativeAIError &&
    /Error fetching from|Error reading from the stream/.test(message)
  ) {
    const reason = /Error reading/.test(message) ? 'stream cut' : 'fetch failed';
    return connectionError(provider, new Error(reason));
  }
  if (
    error instanceof SyntaxError ||
    /Failed to parse stream|Error parsing JSON response/.test(message)
  ) {
    return new GatewayError(
      GatewayErrorCode.SERVER_ERROR,
      `Provider ${provider} sent a malformed response`,
      {
        provider,
      },
    );
  }
  if (error instanceof TypeError) return connectionError(provider, error.cause ?? error);
  return new GatewayError(
    GatewayErrorCode.SERVER_ERROR,
    `Provider ${provider} call failed unexpectedly`,
    {
      provider,
      cause: error,
    },
  );
}

/** An HTTP error answer: the shared status table, plus Gemini's own wording and details. */
function fetchError(error: GoogleGenerativeAIFetchError, provider: string): GatewayError {
  const details: ErrorDetail[] = Array.isArray(error.errorDetails) ? error.errorDetails : [];
  const message = providerMessage(error);
  const status = error.status ?? 500;
  const invalidKey =
    INVALID_KEY.test(message) || details.some((d) => d.reason === 'API_KEY_INVALID');
  const failure = upstreamError({
    provider,
    status,
    message,
    type: CONTEXT_LENGTH.test(message) ? 'context_length_exceeded' : undefined,
    retryAfter: retryDelaySeconds(details),
  });
  // Gemini answers a bad key with 400 INVALID_ARGUMENT, not 401.
  if (invalidKey && failure.code === GatewayErrorCode.BAD_REQUEST) {
    return new GatewayError(GatewayErrorCode.AUTH, failure.message, {
      provider,
      upstreamStatus: status,
    });
  }
  return failure;
}

/**
 * The provider's own message out of the SDK's
 * `Error fetching from <url>: [<status> <text>] <message> <details JSON>`.
 */
function providerMessage(error: GoogleGenerativeAIFetchError): string {
  const match = /\[\d{3}[^\]]*\] ?([\s\S]*)$/.exec(error.message);
  let message = match?.[1] ?? '';
  if (error.errorDetails !== undefined) {
    const suffix = ` ${JSON.stringify(error.errorDetails)}`;
    if (message.endsWith(suffix)) message = message.slice(0, -suffix.length);
  }
  return message.trim();
}

/** `RetryInfo.retryDelay` ("12s", "0.5s") as Retry-After seconds. */
function retryDelaySeconds(details: ErrorDetail[]): string | undefined {
  const delay = details.find((d) => d['@type']?.endsWith('RetryInfo'))?.retryDelay;
  const match = typeof delay === 'string' ? /^(\d+(?:\.\d+)?)s$/.exec(delay) : null;
  return match?.[1];
}

/** An `{ error: { code, message, status } }` object received as a data line of a 200 stream. */
export function streamErrorEvent(provider: string, event: unknown): GatewayError {
  const body = (event ?? {}) as { code?: unknown; message?: unknown; status?: unknown };
  return upstreamError({
    provider,
    status: typeof body.code === 'number' && body.code >= 400 ? body.code : 500,
    message: typeof body.message === 'string' ? body.message : undefined,
    type: typeof body.status === 'string' ? body.status : undefined,
  });
}
