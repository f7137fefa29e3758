import type { ErrorBody } from './types';

/** Query parameters; undefined and empty values are left out. */
export type Query = Record<string, string | number | undefined | null>;

/** A gateway error answer (OpenAI's shape), or a network failure (status 0). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly code?: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'ApiError';
  }

  /** The route does not exist on this gateway (an older version): Nest's unknown-endpoint 404. */
  get unknownEndpoint(): boolean {
    return this.status === 404 && this.code === 'not_found' && this.message === 'Unknown endpoint';
  }

  /** A 400 naming one of `params`: this gateway does not know that parameter or value yet. */
  refusedParam(...params: string[]): boolean {
    return this.status === 400 && this.param !== undefined && params.includes(this.param);
  }
}

/** Query text with the defined values only (`?a=1&b=x`, or '' when none). */
export function queryString(query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') params.set(name, String(value));
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}

/**
 * Every call of the console goes through the gateway's public HTTP API with the key the
 * operator signed in with, sent as `Authorization: Bearer <key>` (never in a URL). A 401
 * on a call the session must be allowed to make means the key stopped working (rotated,
 * disabled, expired): `onExpired` signs the console out.
 */
export class ApiClient {
  constructor(
    private readonly key: string,
    private readonly onExpired: (message: string) => void = () => undefined,
  ) {}

  /** Headers of every call: the key, JSON. */
  headers(extra: Record<string, string> = {}, key = this.key): Headers {
    const headers = new Headers({ accept: 'application/json', ...extra });
    if (key) headers.set('authorization', `Bearer ${key}`);
    return headers;
  }

  get<T>(path: string, query?: Query, options: CallOptions = {}): Promise<T> {
    return this.call<T>('GET', `${path}${queryString(query)}`, undefined, options);
  }

  post<T>(path: string, body?: unknown, options: CallOptions = {}): Promise<T> {
    return this.call<T>('POST', path, body, options);
  }

  patch<T>(path: string, body: unknown, options: CallOptions = {}): Promise<T> {
    return this.call<T>('PATCH', path, body, options);
  }

  /** A raw call (streams): the caller reads the body; errors are still turned into ApiError. */
  async fetch(path: string, init: RequestInit & { key?: string }): Promise<Response> {
    const { key, ...rest } = init;
    const headers = this.headers(
      Object.fromEntries(new Headers(init.headers).entries()),
      key ?? this.key,
    );
    let response: Response;
    try {
      response = await fetch(path, { ...rest, headers, credentials: 'omit', cache: 'no-store' });
    } catch (error) {
      throw networkError(error);
    }
    if (!response.ok) throw await errorOf(response);
    return response;
  }

  private async call<T>(
    method: string,
    path: string,
    body: unknown,
    options: CallOptions,
  ): Promise<T> {
    const init: RequestInit = {
      method,
      headers: this.headers(body === undefined ? {} : { 'content-type': 'application/json' }),
      credentials: 'omit',
      cache: 'no-store',
      signal: options.signal,
    };
    if (body !== undefined) init.body = JSON.stringify(body);
    let response: Response;
    try {
      response = await fetch(path, init);
    } catch (error) {
      throw networkError(error);
    }
    if (!response.ok) {
      const error = await errorOf(response);
      if (error.status === 401 && options.expiresSession) this.onExpired(error.message);
      throw error;
    }
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

export interface CallOptions {
  signal?: AbortSignal;
  /** A 401 here means the session's key no longer works (the call is one it may always make). */
  expiresSession?: boolean;
}

function networkError(error: unknown): unknown {
  if (error instanceof DOMException && error.name === 'AbortError') return error;
  return new ApiError(0, 'The gateway cannot be reached. Is it running?');
}

/** The gateway's error answer as an ApiError (its message, code and parameter). */
export async function errorOf(response: Response): Promise<ApiError> {
  let body: ErrorBody | undefined;
  try {
    body = (await response.json()) as ErrorBody;
  } catch {
    body = undefined;
  }
  const error = body?.error;
  return new ApiError(
    response.status,
    error?.message ?? `The gateway answered ${response.status} ${response.statusText}`.trim(),
    error?.code ?? undefined,
    error?.param ?? undefined,
  );
}

/** Whether an error is an aborted call (a page left, a newer load started). */
export function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}
