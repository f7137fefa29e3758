import { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import { abortableRequest } from './abortable-request';

type FetchInput = string | URL | { url: string };
type FetchInit = {
  method?: string;
  headers?: unknown;
  body?: unknown;
  signal?: AbortSignal | null;
};

const NULL_BODY_STATUS = new Set([101, 204, 205, 304]);

function headerRecord(headers: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!headers) return out;
  if (typeof (headers as Headers).forEach === 'function' && !Array.isArray(headers)) {
    (headers as Headers).forEach((value, key) => (out[key] = value));
  } else if (Array.isArray(headers)) {
    for (const [key, value] of headers as Array<[string, string]>) out[key.toLowerCase()] = value;
  } else {
    for (const [key, value] of Object.entries(
      headers as Record<string, string | number | null | undefined>,
    )) {
      if (value !== undefined && value !== null) out[key.toLowerCase()] = String(value);
    }
  }
  return out;
}

/**
 * A `fetch` built on undici's pooled `request`, for SDKs that accept a custom fetch
 * (`@anthropic-ai/sdk`). Node's global fetch costs far more per call; this keeps the
 * SDK's behaviour while reusing the provider's keep-alive pool.
 */
export function createPooledFetch(dispatcher: Dispatcher): typeof fetch {
  const pooled = async (input: FetchInput, init: FetchInit = {}): Promise<Response> => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    const body = init.body;
    if (
      body !== undefined &&
      body !== null &&
      typeof body !== 'string' &&
      !(body instanceof Uint8Array)
    ) {
      // Streams and form data are rare for these SDKs: hand them to the standard fetch.
      return fetch(url, init as RequestInit);
    }
    const method = (init.method ?? 'GET').toUpperCase();
    const response = await abortableRequest(url, {
      method,
      headers: headerRecord(init.headers),
      body,
      signal: init.signal ?? undefined,
      dispatcher,
    });
    const headers = new Headers();
    for (const [key, value] of Object.entries(response.headers)) {
      if (Array.isArray(value)) value.forEach((v) => headers.append(key, v));
      else if (value !== undefined) headers.set(key, value);
    }
    const stream: ReadableStream<Uint8Array> | null = NULL_BODY_STATUS.has(response.statusCode)
      ? null
      : (Readable.toWeb(response.body) as ReadableStream<Uint8Array>);
    if (stream === null) response.body.resume();
    return new Response(stream, { status: response.statusCode, headers });
  };
  return pooled;
}
