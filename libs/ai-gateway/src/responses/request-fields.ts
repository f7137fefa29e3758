import { invalid, isObject } from './responses-input.mapper';

/** Field checks of a Responses request: a wrong type or range is a 400 naming the field. */

export function metadataOf(value: unknown): Record<string, string> {
  if (value === undefined) return {};
  if (!isObject(value)) invalid('metadata', 'must be an object of strings');
  const entries = Object.entries(value);
  if (entries.length > 16) invalid('metadata', 'may hold at most 16 keys');
  for (const [key, text] of entries) {
    if (key.length > 64) invalid('metadata', 'keys are at most 64 characters');
    if (typeof text !== 'string' || text.length > 512)
      invalid(`metadata.${key}`, 'must be a string of at most 512 characters');
  }
  return value as Record<string, string>;
}

export function optionalString(body: Record<string, unknown>, field: string): string | undefined {
  const value = body[field] ?? undefined;
  if (value !== undefined && typeof value !== 'string') invalid(field, 'must be a string');
  return value;
}

export function optionalBoolean(body: Record<string, unknown>, field: string): boolean | undefined {
  const value = body[field] ?? undefined;
  if (value !== undefined && typeof value !== 'boolean') invalid(field, 'must be a boolean');
  return value;
}

export function optionalNumber(
  body: Record<string, unknown>,
  field: string,
  min: number,
  max: number,
  integer = false,
): number | undefined {
  const value = body[field] ?? undefined;
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || Number.isNaN(value)) invalid(field, 'must be a number');
  if (integer && !Number.isInteger(value)) invalid(field, 'must be an integer');
  if (value < min || value > max) invalid(field, `must be between ${min} and ${max}`);
  return value;
}
