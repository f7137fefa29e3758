import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import { connectionError, timeoutError } from '../../errors/http-status-error.mapper';
import type { ProviderCallContext } from '../provider-adapter.interface';

/**
 * Turns a transport failure into a GatewayError. When the call was aborted, the
 * signal's reason says why (the executor aborts with a GatewayError on its deadline);
 * a bare abort is the caller going away.
 */
export function transportError(
  provider: string,
  ctx: ProviderCallContext,
  error: unknown,
): GatewayError {
  if (error instanceof GatewayError) return error;
  if (ctx.signal.aborted) {
    const reason: unknown = ctx.signal.reason;
    if (reason instanceof GatewayError) return reason;
    // By name, not instanceof: AbortSignal.timeout()'s DOMException may come from another realm.
    if ((reason as { name?: unknown } | null)?.name === 'TimeoutError')
      return timeoutError(provider, ctx.timeoutMs);
    // Aborted without a gateway reason: the caller went away.
    return new GatewayError(
      GatewayErrorCode.CANCELLED,
      `Call to provider ${provider} was cancelled`,
      {
        provider,
        retryable: false,
        cause: error,
      },
    );
  }
  const code = (error as { code?: string }).code;
  if (
    code === 'UND_ERR_HEADERS_TIMEOUT' ||
    code === 'UND_ERR_BODY_TIMEOUT' ||
    code === 'UND_ERR_CONNECT_TIMEOUT'
  ) {
    return timeoutError(provider, ctx.timeoutMs);
  }
  return connectionError(provider, error);
}
