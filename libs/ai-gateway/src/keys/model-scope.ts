import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';

/** True when `name` matches one of the patterns (exact, or a prefix ending in `*`). */
export function modelAllowed(patterns: readonly string[], name: string): boolean {
  for (const pattern of patterns) {
    if (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : pattern === name) {
      return true;
    }
  }
  return false;
}

/**
 * Refuses (403 `model_not_allowed`) a call naming a model or route outside the key's
 * scope: the request's `model` and every entry of a chain override are checked.
 */
export function assertModelsAllowed(
  allowed: readonly string[] | undefined,
  names: ReadonlyArray<string | undefined>,
): void {
  if (!allowed) return;
  for (const name of names) {
    if (name !== undefined && !modelAllowed(allowed, name)) {
      throw new GatewayError(
        GatewayErrorCode.MODEL_NOT_ALLOWED,
        `This gateway key may not use model '${name}'`,
        { param: 'model' },
      );
    }
  }
}
