import type { Socket } from 'node:net';
import { buildConnector, errors } from 'undici';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';

/** undici's code for a connection that did not open in time. */
export const CONNECT_TIMEOUT_CODE = 'UND_ERR_CONNECT_TIMEOUT';

/**
 * An undici connector whose connect timeout fires on time. undici's own `connect.timeout`
 * runs on its coarse timer wheel (about half a second of slack), too loose for a
 * per-request setting; this one uses a plain timer and fails the connection the same way
 * undici does (the socket is destroyed with a `ConnectTimeoutError`), so pools and error
 * codes behave as before.
 */
export function createTimedConnector(timeoutMs: number): buildConnector.connector {
  // timeout 0 switches undici's own connect timer off: ours replaces it.
  const connect = buildConnector({ timeout: 0 });
  return (options, callback) => {
    // Held in an object: the callback may in principle run before the timer is set.
    const state: { timer?: NodeJS.Timeout; timedOut: boolean } = { timedOut: false };
    const socket = connect(options, (error, connected) => {
      clearTimeout(state.timer);
      if (error) return callback(error, null);
      // A connection that opened after we gave up has nobody waiting for it.
      if (state.timedOut) {
        connected.destroy();
        return callback(connectTimeoutCause(options, timeoutMs), null);
      }
      callback(null, connected);
    }) as unknown as Socket | undefined;
    state.timer = setTimeout(() => {
      state.timedOut = true;
      socket?.destroy(connectTimeoutCause(options, timeoutMs));
    }, timeoutMs);
    state.timer.unref();
  };
}

function connectTimeoutCause(options: buildConnector.Options, timeoutMs: number): Error {
  return new errors.ConnectTimeoutError(
    `Connect Timeout Error (attempted address: ${options.hostname}:${options.port}, timeout: ${timeoutMs}ms)`,
  );
}

/** True for undici's connect timeout (ours or its own). */
export function isConnectTimeout(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === CONNECT_TIMEOUT_CODE;
}

/**
 * No connection to the provider opened in time. Retryable and a fallback reason like any
 * timeout: the request never reached the provider.
 */
export function connectTimeoutError(provider: string, ms: number, cause?: unknown): GatewayError {
  return new GatewayError(
    GatewayErrorCode.TIMEOUT,
    `Provider ${provider} could not be connected to within ${ms} ms (connect timeout)`,
    { provider, retryable: true, cause },
  );
}
