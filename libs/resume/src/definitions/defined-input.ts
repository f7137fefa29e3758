import { invalidInput, MAX_TEXT_CHARS, requireInputObject } from '../task-input.validators';
import type { InputField, InputFieldType } from './task-definition';
import { INPUT_FIELD_TYPES } from './task-definition';

/** The input of a YAML task once checked: only its declared fields. */
export type DefinedInput = Record<string, string | number | boolean | string[]>;

const FIELD_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;
const FIELD_KEYS = ['name', 'type', 'required', 'maxLength', 'maxItems', 'description'];
const MAX_FIELDS = 50;
/** Longest text a field may declare (a task's whole input is bounded by the body limit too). */
const MAX_FIELD_CHARS = 500_000;
const DEFAULT_MAX_ITEMS = 100;
const MAX_ITEMS = 10_000;

/** Reads `input:` of a definition (a list of fields); adds `<path>: <reason>` per fault. */
export function readInputFields(raw: unknown, path: string, problems: string[]): InputField[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_FIELDS) {
    problems.push(`${path}: must be a list of 1 to ${MAX_FIELDS} fields`);
    return [];
  }
  const fields: InputField[] = [];
  raw.forEach((entry: unknown, i) => {
    const at = `${path}[${i}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${at}: must be a field (name, type, required, maxLength)`);
      return;
    }
    const field = entry as Record<string, unknown>;
    for (const key of Object.keys(field)) {
      if (!FIELD_KEYS.includes(key)) {
        problems.push(`${at}.${key}: unknown key (expected ${FIELD_KEYS.join(', ')})`);
      }
    }
    const { name, type, required = false } = field;
    if (typeof name !== 'string' || !FIELD_NAME.test(name)) {
      problems.push(`${at}.name: must be an identifier ([A-Za-z_][A-Za-z0-9_]*, 64 at most)`);
    } else if (fields.some((f) => f.name === name)) {
      problems.push(`${at}.name: "${name}" is declared twice`);
    }
    if (!(INPUT_FIELD_TYPES as readonly unknown[]).includes(type)) {
      problems.push(`${at}.type: must be one of ${INPUT_FIELD_TYPES.join(', ')}`);
    }
    if (typeof required !== 'boolean') problems.push(`${at}.required: must be true or false`);
    const textual = type === 'string' || type === 'string[]';
    const maxLength = bound(
      field.maxLength,
      MAX_TEXT_CHARS,
      MAX_FIELD_CHARS,
      textual,
      `${at}.maxLength`,
      problems,
    );
    const maxItems = bound(
      field.maxItems,
      DEFAULT_MAX_ITEMS,
      MAX_ITEMS,
      type === 'string[]',
      `${at}.maxItems`,
      problems,
    );
    if (field.description !== undefined && typeof field.description !== 'string') {
      problems.push(`${at}.description: must be a text`);
    }
    fields.push({
      name: String(name),
      type: type as InputFieldType,
      required: required === true,
      maxLength,
      maxItems,
    });
  });
  return fields;
}

/** An optional whole-number bound in [1, max]; refused on a type it does not apply to. */
function bound(
  value: unknown,
  fallback: number,
  max: number,
  applies: boolean,
  at: string,
  problems: string[],
): number {
  if (value === undefined) return fallback;
  if (!applies) problems.push(`${at}: does not apply to this field's type`);
  else if (!Number.isInteger(value) || (value as number) < 1 || (value as number) > max) {
    problems.push(`${at}: must be a whole number from 1 to ${max}`);
  } else return value as number;
  return fallback;
}

/**
 * Checks a caller's input against the fields; throws `INVALID_REQUEST` naming the field
 * (`input.<name>`). Unknown keys are refused: a typo would otherwise run without it.
 */
export function validateDefinedInput(fields: readonly InputField[], input: unknown): DefinedInput {
  const object = requireInputObject(
    input,
    fields.map((f) => f.name),
  );
  const out: DefinedInput = {};
  for (const field of fields) {
    const value = object[field.name];
    if (value === undefined) {
      if (field.required) invalidInput(field.name, 'is required');
      continue;
    }
    out[field.name] = checkValue(field, value);
  }
  return out;
}

function checkValue(field: InputField, value: unknown): string | number | boolean | string[] {
  switch (field.type) {
    case 'string':
      if (typeof value !== 'string') return invalidInput(field.name, 'must be a string');
      if (field.required && value.trim() === '') invalidInput(field.name, 'must not be empty');
      if (value.length > field.maxLength) {
        invalidInput(field.name, `must be at most ${field.maxLength} characters`);
      }
      return value;
    case 'number':
      if (typeof value !== 'number' || !Number.isFinite(value)) {
        return invalidInput(field.name, 'must be a number');
      }
      return value;
    case 'boolean':
      if (typeof value !== 'boolean') return invalidInput(field.name, 'must be true or false');
      return value;
    case 'string[]':
      if (!Array.isArray(value) || !value.every((item) => typeof item === 'string')) {
        return invalidInput(field.name, 'must be a list of strings');
      }
      if (value.length > field.maxItems) {
        invalidInput(field.name, `must have at most ${field.maxItems} items`);
      }
      if (value.some((item) => item.length > field.maxLength)) {
        invalidInput(field.name, `items must be at most ${field.maxLength} characters each`);
      }
      return value;
  }
}

/** Characters of text in a checked input (inline versus queued). */
export function definedInputSize(input: DefinedInput): number {
  let size = 0;
  for (const value of Object.values(input)) {
    if (typeof value === 'string') size += value.length;
    else if (Array.isArray(value)) for (const item of value) size += item.length;
  }
  return size;
}
