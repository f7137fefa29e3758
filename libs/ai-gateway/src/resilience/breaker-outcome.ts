import type { ProviderConfig } from '../config/gateway-config.schema';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import type { GatewayError } from '../errors/gateway.error';

/**
 * Whether a failure is the provider's fault. Rate limits and auth failures belong to a
 * key (handled by `keyRestUntil`); the caller's own mistakes belong to nobody.
 */
export function countsAgainstProvider(code: GatewayErrorCode): boolean {
  switch (code) {
    case GatewayErrorCode.SERVER_ERROR:
    case GatewayErrorCode.TIMEOUT:
    case GatewayErrorCode.CONNECTION:
    case GatewayErrorCode.STREAM_INTERRUPTED:
      return true;
    case GatewayErrorCode.RATE_LIMITED:
    case GatewayErrorCode.AUTH:
    case GatewayErrorCode.BAD_REQUEST:
    case GatewayErrorCode.CONTEXT_LENGTH_EXCEEDED:
    case GatewayErrorCode.CONTENT_FILTERED:
    case GatewayErrorCode.INVALID_REQUEST:
    case GatewayErrorCode.MODEL_NOT_FOUND:
    case GatewayErrorCode.UNSUPPORTED_FEATURE:
    case GatewayErrorCode.PAYLOAD_TOO_LARGE:
    case GatewayErrorCode.NO_PROVIDER_AVAILABLE:
    case GatewayErrorCode.BUDGET_EXCEEDED:
    case GatewayErrorCode.BUDGET_UNAVAILABLE:
    case GatewayErrorCode.RATE_LIMIT_EXCEEDED:
    case GatewayErrorCode.RATE_LIMIT_UNAVAILABLE:
    case GatewayErrorCode.PII_DETECTED:
    case GatewayErrorCode.PROMPT_INJECTION_DETECTED:
    case GatewayErrorCode.CONTENT_FLAGGED:
    case GatewayErrorCode.GUARDRAIL_UNAVAILABLE:
    case GatewayErrorCode.INVALID_API_KEY:
    case GatewayErrorCode.MODEL_NOT_ALLOWED:
    case GatewayErrorCode.AUTH_UNAVAILABLE:
    case GatewayErrorCode.CANCELLED:
    case GatewayErrorCode.INVALID_CONFIG:
    case GatewayErrorCode.NOT_FOUND:
    case GatewayErrorCode.INTERNAL:
      return false;
  }
}

/** Until when a key rests after this failure: quarantine on auth, cool-off on 429. */
export function keyRestUntil(
  error: GatewayError,
  settings: Pick<ProviderConfig, 'keyCooldownMs' | 'keyQuarantineMs'>,
  now: number,
): number | undefined {
  if (error.code === GatewayErrorCode.AUTH) return now + settings.keyQuarantineMs;
  // The provider's own Retry-After is the best estimate of when the key works again;
  // without one, the configured cool-off. Zero means "do not rest the key".
  if (error.code === GatewayErrorCode.RATE_LIMITED) {
    const rest = error.retryAfterMs ?? settings.keyCooldownMs;
    return rest > 0 ? now + rest : undefined;
  }
  return undefined;
}
