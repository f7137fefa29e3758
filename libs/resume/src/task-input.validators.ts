import { GatewayError } from '@ai-gateway/core';

/**
 * Longest resume or job description accepted, in characters: about 12k tokens, which
 * leaves room for the prompt and the answer in the smaller context windows of a route.
 */
export const MAX_TEXT_CHARS = 50_000;

/** Throws the caller's mistake, naming the field as the tasks API sees it (`input.<field>`). */
export function invalidInput(field: string | undefined, message: string): never {
  const param = field === undefined ? 'input' : `input.${field}`;
  throw GatewayError.invalidRequest(`Invalid task input: '${param}' ${message}`, param);
}

/**
 * The input as an object with only the allowed keys: an unknown key is usually a typo
 * (`jobDesc`), and silently ignoring it would run the task without what was meant.
 */
export function requireInputObject(
  input: unknown,
  allowed: readonly string[],
): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    invalidInput(undefined, 'must be a JSON object');
  }
  const object = input as Record<string, unknown>;
  for (const key of Object.keys(object)) {
    if (!allowed.includes(key)) {
      invalidInput(key, `is not a known field (expected ${allowed.join(', ') || 'none'})`);
    }
  }
  return object;
}

/** A required, non-blank string of at most `maxChars` characters. */
export function requireText(
  object: Record<string, unknown>,
  field: string,
  maxChars = MAX_TEXT_CHARS,
): string {
  const value = object[field];
  if (typeof value !== 'string') invalidInput(field, 'is required and must be a string');
  if (value.trim() === '') invalidInput(field, 'must not be empty');
  if (value.length > maxChars) invalidInput(field, `must be at most ${maxChars} characters`);
  return value;
}

/** An optional integer in `[min, max]`; `fallback` when absent. */
export function optionalInteger(
  object: Record<string, unknown>,
  field: string,
  limits: { min: number; max: number; fallback: number },
): number {
  const value = object[field];
  if (value === undefined) return limits.fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    invalidInput(field, 'must be an integer');
  }
  if (value < limits.min || value > limits.max) {
    invalidInput(field, `must be between ${limits.min} and ${limits.max}`);
  }
  return value;
}

/** An optional value out of a fixed list; `fallback` when absent. */
export function optionalChoice<T extends string>(
  object: Record<string, unknown>,
  field: string,
  choices: readonly T[],
  fallback: T,
): T {
  const value = object[field];
  if (value === undefined) return fallback;
  if (typeof value !== 'string' || !(choices as readonly string[]).includes(value)) {
    invalidInput(field, `must be one of ${choices.join(', ')}`);
  }
  return value as T;
}
