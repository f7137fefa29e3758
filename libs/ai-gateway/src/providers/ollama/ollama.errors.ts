import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError, isGatewayError } from '../../errors/gateway.error';
import {
  connectionError,
  timeoutError,
  upstreamError,
} from '../../errors/http-status-error.mapper';
import { connectTimeoutError, isConnectTimeout } from '../http/timed-connector';

/** Upstream error texts are cut to this length: enough to diagnose, never a whole page. */
const MAX_MESSAGE_LENGTH = 500;

/** undici error codes that mean one of its own timers fired. */
const UNDICI_TIMEOUTS = new Set([
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
]);

/** Why a transport-level failure happened, as far as the adapter knows. */
export interface TransportFailureContext {
  /** True when the attempt's own signal (deadline or caller) aborted the call. */
  aborted: boolean;
  /** The attempt's time budget, reported in the timeout message. */
  timeoutMs: number;
  /** What the signal was aborted with: a gateway timer's error is passed on as it is. */
  abortReason?: unknown;
  /** The connect timeout the call ran with, named when it is what fired. */
  connectTimeoutMs?: number;
}

/** The `error` text of an Ollama error body (`{"error": "..."}`), or the raw text. */
export function ollamaErrorMessage(bodyText: string): string | undefined {
  let message: string | undefined = bodyText.trim();
  try {
    const parsed: unknown = JSON.parse(bodyText);
    if (parsed !== null && typeof parsed === 'object') {
      const error = (parsed as { error?: unknown }).error;
      if (typeof error === 'string') message = error;
      else if (error !== null && typeof error === 'object') {
        // Reverse proxies in front of Ollama often answer in OpenAI's shape.
        const nested = (error as { message?: unknown }).message;
        if (typeof nested === 'string') message = nested;
      }
    }
  } catch {
    // Not JSON (a proxy's HTML page, say): keep the text.
  }
  if (!message) return undefined;
  return message.length > MAX_MESSAGE_LENGTH ? `${message.slice(0, MAX_MESSAGE_LENGTH)}…` : message;
}

/**
 * An HTTP error status from Ollama. A missing model is a 404 that the shared status table
 * turns into `bad_request` (the caller named a model the server does not have).
 */
export function ollamaHttpError(
  provider: string,
  status: number,
  bodyText: string,
  retryAfter?: string | null,
): GatewayError {
  return upstreamError({ provider, status, message: ollamaErrorMessage(bodyText), retryAfter });
}

/** An `{"error": ...}` line inside a 200 stream: the model runner failed mid-answer. */
export function ollamaStreamError(provider: string, bodyText: string): GatewayError {
  const detail = ollamaErrorMessage(bodyText) ?? 'unknown error';
  return new GatewayError(
    GatewayErrorCode.SERVER_ERROR,
    `Provider ${provider} failed mid-stream: ${detail}`,
    {
      provider,
    },
  );
}

/** A 200 answer whose body is not what Ollama sends (broken JSON, missing fields). */
export function ollamaMalformedError(provider: string, what: string): GatewayError {
  return new GatewayError(
    GatewayErrorCode.SERVER_ERROR,
    `Provider ${provider} sent a malformed ${what}`,
    {
      provider,
    },
  );
}

/** A stream that ended without Ollama's final `done` line: the connection was cut. */
export function ollamaTruncatedStreamError(provider: string): GatewayError {
  return new GatewayError(
    GatewayErrorCode.CONNECTION,
    `Provider ${provider} closed the stream before it was done`,
    { provider },
  );
}

/**
 * Any failure thrown while calling Ollama or reading its body, as a GatewayError: an abort
 * of the attempt or an undici timer is a timeout, everything else on the wire (refused,
 * reset, closed mid-body, DNS) is a connection failure.
 */
export function ollamaTransportError(
  provider: string,
  error: unknown,
  context: TransportFailureContext,
): GatewayError {
  if (isGatewayError(error)) return error;
  if (context.aborted && isGatewayError(context.abortReason)) return context.abortReason;
  if (!context.aborted && context.connectTimeoutMs !== undefined && isConnectTimeout(error)) {
    return connectTimeoutError(provider, context.connectTimeoutMs, error);
  }
  const code = (error as { code?: unknown } | null)?.code;
  if (context.aborted || (typeof code === 'string' && UNDICI_TIMEOUTS.has(code))) {
    return timeoutError(provider, context.timeoutMs);
  }
  return connectionError(provider, error);
}
