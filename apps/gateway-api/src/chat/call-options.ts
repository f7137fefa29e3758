import type { CacheDirectives, CallOptions } from '@ai-gateway/core';
import { GatewayError } from '@ai-gateway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { RequestAuth } from '../auth/request-auth';
import { requestAuthOf } from '../auth/request-auth';
import { clientRequestIdOf } from '../http/client-request-id';
import { cancelOnClientClose } from './client-abort';

const TIMEOUT_HEADERS = {
  'x-gateway-timeout-ms': 'totalMs',
  'x-gateway-attempt-timeout-ms': 'attemptMs',
  'x-gateway-first-token-timeout-ms': 'firstTokenMs',
  'x-gateway-idle-timeout-ms': 'idleMs',
  'x-gateway-connect-timeout-ms': 'connectMs',
} as const;

/**
 * Gateway controls a caller can send as headers (the official clients can add headers
 * to any call): `x-gateway-chain` (comma-separated models to try in order),
 * `x-gateway-fallback: true` (let an explicit provider/model fall back), and the
 * per-request timers. A malformed value is the caller's mistake: 400 naming the header.
 */
export function callOptionsOf(request: FastifyRequest, reply: FastifyReply): CallOptions {
  const options: CallOptions = {
    requestId: request.id,
    clientRequestId: clientRequestIdOf(request),
    onCancel: cancelOnClientClose(reply),
    ingress: ingressOf(request),
  };
  const headers = request.headers;
  const auth = requestAuthOf(request);
  const keyCaller = auth?.caller;
  options.caller = keyCaller ? { ...keyCaller, ip: request.ip } : { ip: request.ip };
  const claimed = headers['x-gateway-user'] ?? (request.body as { user?: unknown } | null)?.user;
  const userId = userOf(auth, claimed);
  if (userId !== undefined) options.caller = { ...options.caller, userId };
  const maxCost = headers['x-gateway-max-cost-usd'];
  if (typeof maxCost === 'string') {
    const usd = Number(maxCost);
    if (maxCost.trim() === '' || !Number.isFinite(usd) || usd < 0) {
      throw GatewayError.invalidRequest(
        "Invalid header 'x-gateway-max-cost-usd': a non-negative number of US dollars",
        'x-gateway-max-cost-usd',
      );
    }
    options.maxCostPerRequestUsd = usd;
  }
  const chain = headers['x-gateway-chain'];
  if (typeof chain === 'string') {
    const models = chain
      .split(',')
      .map((m) => m.trim())
      .filter(Boolean);
    if (models.length === 0)
      throw GatewayError.invalidRequest(
        "Invalid header 'x-gateway-chain': list at least one model",
        'x-gateway-chain',
      );
    options.chain = models;
  }
  const fallback = headers['x-gateway-fallback'];
  if (typeof fallback === 'string') {
    if (fallback !== 'true' && fallback !== 'false') {
      throw GatewayError.invalidRequest(
        "Invalid header 'x-gateway-fallback': use true or false",
        'x-gateway-fallback',
      );
    }
    options.allowFallback = fallback === 'true';
  }
  const cache = cacheDirectivesOf(headers['cache-control'], headers['x-gateway-cache']);
  if (cache) options.cache = cache;
  for (const [header, key] of Object.entries(TIMEOUT_HEADERS)) {
    const value = headers[header];
    if (typeof value !== 'string') continue;
    const ms = Number(value);
    if (!Number.isInteger(ms) || ms < 1 || ms > 3_600_000) {
      throw GatewayError.invalidRequest(
        `Invalid header '${header}': a whole number of milliseconds (1–3600000)`,
        header,
      );
    }
    options.timeouts = { ...options.timeouts, [key]: ms };
  }
  return options;
}

/**
 * The user a request counts against (budgets, limits, usage rows). A gateway key says who
 * is calling: its own user when it has one. Only a key marked `multiUser` (a trusted
 * backend serving many users) may name the user per request, with `x-gateway-user` or
 * OpenAI's `user` field; from any other key the name is ignored — not refused, since
 * OpenAI clients send `user` routinely — so it can never select another user's budget.
 * Without gateway auth (the embedded default) every caller is trusted and may name itself.
 */
export function userOf(auth: RequestAuth | undefined, claimed: unknown): string | undefined {
  const key = auth?.caller;
  if (key?.userId) return key.userId;
  if (auth && !key?.multiUser) return undefined;
  if (typeof claimed !== 'string' || claimed === '') return undefined;
  if (claimed.length > 128) {
    throw GatewayError.invalidRequest("Invalid 'user': at most 128 characters", 'user');
  }
  return claimed;
}

/**
 * Cache controls: `Cache-Control: no-cache` (fetch a fresh answer, store it), `no-store`
 * (never store this answer), `max-age=N` (serve only entries at most N seconds old), and
 * `x-gateway-cache: skip | refresh`. Other Cache-Control directives are ignored, as HTTP
 * caches do; a malformed max-age or an unknown x-gateway-cache value is a 400.
 */
export function cacheDirectivesOf(
  cacheControl: string | string[] | undefined,
  gatewayCache: string | string[] | undefined,
): CacheDirectives | undefined {
  const directives: CacheDirectives = {};
  let any = false;
  const control = Array.isArray(cacheControl) ? cacheControl.join(',') : cacheControl;
  for (const part of control ? control.split(',') : []) {
    const [name, value] = part.trim().toLowerCase().split('=', 2);
    if (name === 'no-cache') directives.mode = 'refresh';
    else if (name === 'no-store') directives.noStore = true;
    else if (name === 'max-age') {
      const seconds = Number(value?.replace(/^"|"$/g, ''));
      if (value === undefined || !Number.isInteger(seconds) || seconds < 0) {
        throw GatewayError.invalidRequest(
          "Invalid header 'cache-control': max-age must be a whole number of seconds",
          'cache-control',
        );
      }
      directives.maxAgeSeconds = seconds;
    } else continue;
    any = true;
  }
  if (gatewayCache !== undefined) {
    const value = (Array.isArray(gatewayCache) ? gatewayCache[0] : gatewayCache)
      .trim()
      .toLowerCase();
    if (value !== 'skip' && value !== 'refresh') {
      throw GatewayError.invalidRequest(
        "Invalid header 'x-gateway-cache': use skip or refresh",
        'x-gateway-cache',
      );
    }
    // skip wins over refresh: neither read nor write.
    directives.mode = value === 'skip' || directives.mode === undefined ? value : directives.mode;
    any = true;
  }
  return any ? directives : undefined;
}

/**
 * The API door of a request for its usage row, from its route: `/v1/chat/completions` →
 * `chat.completions`, `/v1/messages/count_tokens` → `messages.count_tokens`.
 */
export function ingressOf(request: FastifyRequest): string | undefined {
  const url = request.routeOptions.url;
  if (url === undefined || !url.startsWith('/v1/')) return undefined;
  // Path parameters (`/v1/responses/:id`) are not part of the door's name.
  return url
    .slice(4)
    .split('/')
    .filter((part) => part !== '' && !part.startsWith(':') && part !== '*')
    .join('.');
}
