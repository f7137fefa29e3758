import type { Dispatcher } from 'undici';
import { request } from 'undici';

type RequestUrl = Parameters<typeof request>[0];
type RequestOptions = NonNullable<Parameters<typeof request>[1]>;

/**
 * undici's `request`, whose abort signal also works while the request waits for a pooled
 * connection. undici (7.x, `api-request.js`) only records an abort until the request is
 * dispatched, so a call queued behind a full pool ignored its first-token and total
 * timers until some other call freed a connection (minutes, behind slow streams). Here
 * the promise settles with the signal's reason as soon as it fires. The abandoned queue
 * entry is cleaned up by undici itself: when it reaches a connection, `onConnect` sees the
 * recorded abort and drops it before a byte is written, so the upstream never sees it;
 * should a response win the race anyway, its body is destroyed to free the connection.
 */
export function abortableRequest(
  url: RequestUrl,
  options: RequestOptions & { signal?: AbortSignal | null },
): Promise<Dispatcher.ResponseData> {
  const signal = options.signal ?? undefined;
  const pending = request(url, options) as Promise<Dispatcher.ResponseData>;
  if (!signal) return pending;
  return new Promise((resolve, reject) => {
    const onAbort = (): void => reject(asError(signal.reason));
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort, { once: true });
    pending.then(
      (response) => {
        signal.removeEventListener('abort', onAbort);
        // Lost the race: nobody reads this body, and it holds a pooled connection.
        if (signal.aborted) response.body.destroy();
        else resolve(response);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(asError(error));
      },
    );
  });
}

/** The reason as it came (the gateway aborts with a GatewayError naming its timer), as an Error. */
function asError(reason: unknown): Error {
  // Not `instanceof`: errors of Node's own sockets may come from another realm (tests).
  if (typeof reason === 'object' && reason !== null) return reason as Error;
  // Any other reason (a string, nothing) reads as a plain abort: the caller went away.
  return new DOMException('This operation was aborted', 'AbortError');
}
