/**
 * Every failure the gateway can report, as a stable string code. Provider errors are
 * normalised to the first group; the rest are the gateway's own. Only the gateway app's
 * exception filter turns a code into an HTTP status.
 */
export enum GatewayErrorCode {
  // Upstream (provider) failures
  RATE_LIMITED = 'rate_limited',
  TIMEOUT = 'timeout',
  SERVER_ERROR = 'server_error',
  AUTH = 'auth',
  BAD_REQUEST = 'bad_request',
  CONTEXT_LENGTH_EXCEEDED = 'context_length_exceeded',
  CONTENT_FILTERED = 'content_filtered',
  CONNECTION = 'connection',
  // Gateway-side failures
  INVALID_REQUEST = 'invalid_request',
  MODEL_NOT_FOUND = 'model_not_found',
  UNSUPPORTED_FEATURE = 'unsupported_feature',
  PAYLOAD_TOO_LARGE = 'payload_too_large',
  STREAM_INTERRUPTED = 'stream_interrupted',
  /** A key, user or team budget has no room for this request (no provider was called). */
  BUDGET_EXCEEDED = 'budget_exceeded',
  /** Budgets cannot be checked (Redis unreachable) and they fail closed. */
  BUDGET_UNAVAILABLE = 'budget_unavailable',
  /** A gateway rate limit (requests, tokens or concurrency per minute) has no room now. */
  RATE_LIMIT_EXCEEDED = 'rate_limit_exceeded',
  /** Rate limits cannot be checked (Redis unreachable) and the scope fails closed. */
  RATE_LIMIT_UNAVAILABLE = 'rate_limit_unavailable',
  /** No gateway key, or an unknown, disabled or expired one (or a wrong admin key). */
  INVALID_API_KEY = 'invalid_api_key',
  /** The gateway key may not call this model or route. */
  MODEL_NOT_ALLOWED = 'model_not_allowed',
  /** Keys cannot be checked (the key store is unreachable and the key is not cached). */
  AUTH_UNAVAILABLE = 'auth_unavailable',
  /** Every candidate was skipped (circuits open, keys cooling off) or none could serve. */
  NO_PROVIDER_AVAILABLE = 'no_provider_available',
  /** The caller went away before the answer was delivered. */
  CANCELLED = 'cancelled',
  /** A guardrail found personal data whose action is `block` (no provider was called). */
  PII_DETECTED = 'pii_detected',
  /** The prompt-injection detector blocked the request (no provider was called). */
  PROMPT_INJECTION_DETECTED = 'prompt_injection_detected',
  /** Moderation or a middleware refused the content (no provider was called). */
  CONTENT_FLAGGED = 'content_flagged',
  /** A fail-closed guardrail failed or ran out of time: the request is not sent unguarded. */
  GUARDRAIL_UNAVAILABLE = 'guardrail_unavailable',
  INVALID_CONFIG = 'invalid_config',
  NOT_FOUND = 'not_found',
  INTERNAL = 'internal',
}

/** Codes that describe a provider's failure (as opposed to the caller's or the gateway's). */
export const PROVIDER_ERROR_CODES: ReadonlySet<GatewayErrorCode> = new Set([
  GatewayErrorCode.RATE_LIMITED,
  GatewayErrorCode.TIMEOUT,
  GatewayErrorCode.SERVER_ERROR,
  GatewayErrorCode.AUTH,
  GatewayErrorCode.BAD_REQUEST,
  GatewayErrorCode.CONTEXT_LENGTH_EXCEEDED,
  GatewayErrorCode.CONTENT_FILTERED,
  GatewayErrorCode.CONNECTION,
]);
