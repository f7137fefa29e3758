import { GatewayError } from '../errors/gateway.error';

/** Per-call deadline of the self-test, in ms: default and bounds. */
export const SELF_TEST_TIMEOUT_MS = { default: 15_000, min: 100, max: 60_000 } as const;

/** Input of `ProviderSelfTest.run`: typed from the library, or strings from HTTP. */
export interface SelfTestInput {
  /** Test only this provider (config name). */
  provider?: string;
  /** Deadline of each call (retries included), in ms. */
  timeoutMs?: number | string;
}

/** A validated self-test query. */
export interface SelfTestQuery {
  provider?: string;
  timeoutMs: number;
}

const PARAMS: ReadonlySet<string> = new Set(['provider', 'timeoutMs']);
const MAX_PROVIDER_NAME = 128;

/** Validates a self-test query; every bad value is a 400 naming the parameter. */
export function parseSelfTestQuery(
  input: SelfTestInput | Readonly<Record<string, unknown>>,
): SelfTestQuery {
  const params: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(input)) {
    if (value === undefined) continue;
    if (!PARAMS.has(name)) {
      throw GatewayError.invalidRequest(
        `Unknown parameter '${name}': use ${[...PARAMS].join(', ')}`,
        name,
      );
    }
    if (Array.isArray(value))
      throw GatewayError.invalidRequest(`Invalid '${name}': give it once`, name);
    params[name] = value;
  }
  const query: SelfTestQuery = { timeoutMs: timeoutOf(params.timeoutMs) };
  const provider = params.provider;
  if (provider !== undefined) {
    if (typeof provider !== 'string' || provider === '' || provider.length > MAX_PROVIDER_NAME) {
      throw GatewayError.invalidRequest(
        `Invalid 'provider': a provider name of 1 to ${MAX_PROVIDER_NAME} characters`,
        'provider',
      );
    }
    query.provider = provider;
  }
  return query;
}

function timeoutOf(value: unknown): number {
  if (value === undefined) return SELF_TEST_TIMEOUT_MS.default;
  const ms =
    typeof value === 'number'
      ? value
      : typeof value === 'string' && /^\d+$/.test(value)
        ? Number(value)
        : NaN;
  if (!Number.isInteger(ms) || ms < SELF_TEST_TIMEOUT_MS.min || ms > SELF_TEST_TIMEOUT_MS.max) {
    throw GatewayError.invalidRequest(
      `Invalid 'timeoutMs': an integer from ${SELF_TEST_TIMEOUT_MS.min} to ${SELF_TEST_TIMEOUT_MS.max}`,
      'timeoutMs',
    );
  }
  return ms;
}
