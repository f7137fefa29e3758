import type { Dispatcher } from 'undici';
import type { GatewayError } from '../../errors/gateway.error';
import { upstreamError } from '../../errors/http-status-error.mapper';
import { readErrorBody } from '../../errors/upstream-error-body';

interface OpenAiErrorBody {
  error?: { message?: unknown; type?: unknown; code?: unknown } | string;
  message?: unknown;
  detail?: unknown;
}

/**
 * Reads an error response of an OpenAI-compatible server. Servers differ (OpenAI's
 * `{error:{message,type,code}}`, vLLM's and TGI's `{error:"..."}`, FastAPI's `{detail}`),
 * so the message is taken from whichever is present. Whatever it quotes (a key included)
 * is redacted when the `GatewayError` is built.
 */
export async function readUpstreamError(
  provider: string,
  response: Dispatcher.ResponseData,
): Promise<GatewayError> {
  // Bounded: a proxy's error page can be any size. Its text is redacted as the error is built.
  const text = await readErrorBody(response.body);
  let message: string | undefined;
  let type: string | undefined;
  try {
    const parsed = JSON.parse(text) as OpenAiErrorBody;
    if (typeof parsed.error === 'string') message = parsed.error;
    else if (parsed.error) {
      message = typeof parsed.error.message === 'string' ? parsed.error.message : undefined;
      type = [parsed.error.type, parsed.error.code].filter((v) => typeof v === 'string').join(' ');
    }
    message ??=
      typeof parsed.message === 'string'
        ? parsed.message
        : typeof parsed.detail === 'string'
          ? parsed.detail
          : undefined;
  } catch {
    message = text.slice(0, 300) || undefined;
  }
  const retryAfter = response.headers['retry-after'];
  return upstreamError({
    provider,
    status: response.statusCode,
    message,
    type,
    retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
  });
}
