import type { GatewayConfig } from '@ai-gateway/core';
import type { FastifyServerOptions } from 'fastify';
import type { Server, ServerOptions } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { errorBody } from '../http/error-response';

type ServerSettings = GatewayConfig['server'];

/** The part of Fastify's options set from `server.*`. */
export type HttpServerOptions = Pick<
  FastifyServerOptions,
  'requestTimeout' | 'keepAliveTimeout' | 'trustProxy' | 'clientErrorHandler'
> & { http: ServerOptions };

/** Node checks request and header deadlines on a timer; it never runs less often than this. */
const MAX_CHECK_INTERVAL_MS = 30_000;
const MIN_CHECK_INTERVAL_MS = 50;

/**
 * The Fastify options that bound what one client connection can hold (`server.*`):
 * - `requestTimeoutMs`: the whole request, headers and body, must arrive in this time
 *   (a client dribbling its body gets 408 and the connection is closed). Node applies it
 *   to receiving the request only: an answer or a stream may take as long as its deadline.
 * - `headersTimeoutMs`: the headers, and a new connection's first request, in this time.
 * - `keepAliveTimeoutMs`: an idle keep-alive connection closes after this.
 * - `trustedProxies`: whose X-Forwarded-For names the client (`request.ip`: the IP rate
 *   limits and the failed-auth count).
 * Errors Fastify answers before any route (a timeout, a malformed request) leave in
 * OpenAI's error shape. The connection cap is set on the server: {@link capConnections}.
 */
export function httpServerOptions(server: ServerSettings): HttpServerOptions {
  const requestTimeout = server.requestTimeoutMs;
  // Node refuses a headers timeout above the request timeout.
  const headersTimeout = Math.min(server.headersTimeoutMs, requestTimeout);
  return {
    requestTimeout,
    keepAliveTimeout: server.keepAliveTimeoutMs,
    http: {
      requestTimeout,
      headersTimeout,
      // Checked often enough that a deadline is enforced within a quarter of itself
      // (Node's default, 30 s, would let a 10 s headers timeout run to 40 s).
      connectionsCheckingInterval: Math.min(
        MAX_CHECK_INTERVAL_MS,
        Math.max(MIN_CHECK_INTERVAL_MS, Math.floor(headersTimeout / 4)),
      ),
    },
    trustProxy: server.trustedProxies.length > 0 ? [...server.trustedProxies] : false,
    clientErrorHandler,
  };
}

/** At most `server.maxConnections` open client connections: Node closes any beyond at once. */
export function capConnections(http: Server, server: ServerSettings): void {
  http.maxConnections = server.maxConnections;
}

/**
 * What Node reports before a request reaches a route (a request not received in time,
 * headers too large, bytes that are not HTTP): answered in OpenAI's shape, then closed.
 */
function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const [status, code, message] = describeClientError(error.code);
  const response = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  // An answer already under way (e.g. a 413 while the body still arrives) cannot get a second one.
  if (socket.writable && !response?.headersSent) {
    const body = JSON.stringify(errorBody(message, 'invalid_request_error', code));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\n` +
        `Content-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}

function describeClientError(code: string | undefined): [number, string, string] {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return [408, 'request_timeout', 'The request was not received in time'];
    case 'HPE_HEADER_OVERFLOW':
      return [431, 'headers_too_large', 'The request headers are too large'];
    default:
      return [400, 'bad_request', 'Malformed HTTP request'];
  }
}
