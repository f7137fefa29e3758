import { GatewayErrorCode } from './gateway-error-code';
import { knownSecrets } from './known-secrets';
import { redactSecrets } from './secret-redaction';

export interface GatewayErrorOptions {
  /** Provider (config name) the failure came from, when it came from one. */
  provider?: string;
  /** HTTP status the provider answered with, when there was one. */
  upstreamStatus?: number;
  /** Whether the same call may succeed when retried. Defaults from the code. */
  retryable?: boolean;
  /** Delay the provider asked for (Retry-After), in milliseconds. */
  retryAfterMs?: number;
  /** Request field at fault, for the caller's own mistakes (OpenAI's `param`). */
  param?: string;
  /** Response headers the failure comes with (the `x-ratelimit-*` of a limited request). */
  headers?: Readonly<Record<string, string>>;
  cause?: unknown;
}

const RETRYABLE_BY_DEFAULT: ReadonlySet<GatewayErrorCode> = new Set([
  GatewayErrorCode.RATE_LIMITED,
  GatewayErrorCode.TIMEOUT,
  GatewayErrorCode.SERVER_ERROR,
  GatewayErrorCode.CONNECTION,
]);

/**
 * The one exception type of the ai-gateway library. It carries a code and never an HTTP
 * status of its own: the host (the gateway app's filter) decides how to present it.
 * Messages never contain provider keys or prompt text: the constructor passes every
 * message through `redactSecrets` (the known secrets, key-shaped tokens, a length cap),
 * so a provider's error text quoting a key is cleaned however the error was built.
 */
export class GatewayError extends Error {
  readonly code: GatewayErrorCode;
  readonly provider?: string;
  readonly upstreamStatus?: number;
  readonly retryable: boolean;
  readonly retryAfterMs?: number;
  readonly param?: string;
  /** Set by the pipeline too: a refusal carries `x-gateway-guardrails`. */
  headers?: Readonly<Record<string, string>>;
  /** What was tried before the request failed (set by the pipeline; the decision trace). */
  trace?: ReadonlyArray<{ provider: string; model: string; outcome: string }>;

  constructor(code: GatewayErrorCode, message: string, options: GatewayErrorOptions = {}) {
    super(
      redactSecrets(message, knownSecrets.list()),
      options.cause === undefined ? undefined : { cause: options.cause },
    );
    this.name = 'GatewayError';
    this.code = code;
    this.provider = options.provider;
    this.upstreamStatus = options.upstreamStatus;
    this.retryable = options.retryable ?? RETRYABLE_BY_DEFAULT.has(code);
    this.retryAfterMs = options.retryAfterMs;
    this.param = options.param;
    this.headers = options.headers;
  }

  static invalidRequest(message: string, param?: string): GatewayError {
    return new GatewayError(GatewayErrorCode.INVALID_REQUEST, message, { param });
  }

  static unsupported(provider: string, message: string, param?: string): GatewayError {
    return new GatewayError(GatewayErrorCode.UNSUPPORTED_FEATURE, message, { provider, param });
  }
}

export function isGatewayError(error: unknown): error is GatewayError {
  return error instanceof GatewayError;
}
