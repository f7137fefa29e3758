import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import { promises as dns } from 'node:dns';
import type { LookupAddress } from 'node:dns';
import { request as httpRequest } from 'node:http';
import type { IncomingMessage, RequestOptions } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { WebhookAddressPolicy } from './webhook-address';
import { normalizeAddress } from './webhook-address';

/** Resolves a host name to every address it has (the system resolver by default). */
export type HostLookup = (hostname: string) => Promise<ReadonlyArray<{ address: string }>>;

export const systemLookup: HostLookup = (hostname) =>
  dns.lookup(hostname, { all: true, verbatim: true });

/** A webhook URL with the one address it will be sent to, checked against the policy. */
export interface WebhookTarget {
  url: URL;
  address: string;
}

/**
 * Resolves a webhook's host once and checks every address it resolves to: a name that
 * resolves to any refused address is refused (never "the first public one", so a name
 * cannot mix a public and an internal answer to get past). The request then connects to
 * exactly this address, so a second DNS answer (rebinding) has no say.
 */
export async function resolveWebhookTarget(
  rawUrl: string,
  policy: WebhookAddressPolicy,
  lookup: HostLookup,
  signal: AbortSignal,
): Promise<WebhookTarget> {
  const url = new URL(rawUrl);
  const refusedHost = policy.refusalOfHost(url.hostname);
  if (refusedHost) throw refused(refusedHost);
  const literal = normalizeAddress(url.hostname);
  if (literal !== undefined) return { url, address: literal };
  const addresses = await abortable(lookup(url.hostname), signal);
  if (addresses.length === 0) throw refused(`'${url.hostname}' has no address`);
  if (!policy.allowsName(url.hostname)) {
    for (const { address } of addresses) {
      const why = policy.refusalOfAddress(address);
      if (why) throw refused(`'${url.hostname.slice(0, 64)}' resolves to ${why}`);
    }
  }
  return { url, address: addresses[0].address };
}

/**
 * POSTs to the checked address (http or https; the Host header and TLS server name stay
 * the URL's host). Redirects are not followed: a 3xx is a non-2xx answer like any other.
 * Resolves with the status; the answer's body is discarded.
 */
export function postToTarget(
  target: WebhookTarget,
  headers: Record<string, string>,
  body: string,
  signal: AbortSignal,
): Promise<number> {
  const { url, address } = target;
  const family = address.includes(':') ? 6 : 4;
  const options: RequestOptions = {
    method: 'POST',
    hostname: url.hostname.replace(/^\[|\]$/g, ''),
    port: url.port || undefined,
    path: `${url.pathname}${url.search}`,
    headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
    // Answers every lookup Node makes for this request with the checked address.
    lookup: pinnedLookup(address, family),
    // A fresh connection each time: a pooled socket would outlive the check it was made under.
    agent: false,
    signal,
  };
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise<number>((resolve, reject) => {
    const req = send(options, (res: IncomingMessage) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end(body);
  });
}

type LookupCallback = (
  error: NodeJS.ErrnoException | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

function pinnedLookup(address: string, family: number) {
  return (_host: string, options: { all?: boolean }, callback: LookupCallback): void => {
    if (options?.all) callback(null, [{ address, family }]);
    else callback(null, address, family);
  };
}

function refused(why: string): GatewayError {
  return new GatewayError(
    GatewayErrorCode.INVALID_REQUEST,
    `Invalid request: 'webhook_url' is not allowed: ${why} (tasks.webhooks.allowedHosts opens it)`,
    { param: 'webhook_url', retryable: false },
  );
}

function abortable<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}
