import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';

/** A JSON object (not an array, not null). */
export function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Absent in Anthropic's sense: the SDKs send null for an unset optional field. */
export function absent(value: unknown): value is undefined | null {
  return value === undefined || value === null;
}

/** The caller's malformed request: 400 `invalid_request_error` naming the field. */
export function invalid(param: string, message: string): never {
  throw GatewayError.invalidRequest(`Invalid request: '${param}' ${message}`, param);
}

/**
 * A well-formed field the gateway cannot carry to the model through the unified path:
 * refused (400, `unsupported_feature`) rather than dropped, since dropping it would change
 * the answer behind the caller's back.
 */
export function uncarried(param: string, why: string): never {
  throw new GatewayError(
    GatewayErrorCode.UNSUPPORTED_FEATURE,
    `The gateway cannot carry '${param}': ${why}`,
    { param },
  );
}

/** Refuses every present key of `object` outside `known`, naming the first one. */
export function onlyKnownKeys(
  object: Record<string, unknown>,
  known: ReadonlySet<string>,
  path: string,
): void {
  for (const [key, value] of Object.entries(object)) {
    if (known.has(key) || absent(value)) continue;
    uncarried(path === '' ? key : `${path}.${key}`, 'not a field the gateway carries');
  }
}

/** A string field, required or optional; `nonEmpty` refuses ''. */
export function stringAt(
  value: unknown,
  param: string,
  options: { required?: boolean; nonEmpty?: boolean } = {},
): string | undefined {
  if (absent(value)) {
    if (options.required) invalid(param, 'is required');
    return undefined;
  }
  if (typeof value !== 'string') invalid(param, 'must be a string');
  if (options.nonEmpty && value === '') invalid(param, 'must not be empty');
  return value;
}

/** An optional number in [min, max] (an integer when asked). */
export function numberAt(
  value: unknown,
  param: string,
  min: number,
  max: number,
  integer = false,
): number | undefined {
  if (absent(value)) return undefined;
  if (typeof value !== 'number' || !Number.isFinite(value)) invalid(param, 'must be a number');
  if (integer && !Number.isInteger(value)) invalid(param, 'must be an integer');
  if (value < min || value > max) invalid(param, `must be between ${min} and ${max}`);
  return value;
}
