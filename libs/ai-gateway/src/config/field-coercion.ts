import { Transform } from 'class-transformer';
import { getMetadataStorage } from 'class-validator';

/**
 * `${ENV}` interpolation yields text (`port: ${PORT}` reads "8080"), so a field that holds a
 * number or a flag declares that it takes its text form too. Text that does not read as
 * one is left as it is: the field's validator then reports it under the field's path.
 */

/** "42", " 1.5 ", "-3" → numbers; anything else unchanged. */
export function toNumber(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(toNumber);
  if (typeof value === 'string' && value.trim() !== '' && !Number.isNaN(Number(value))) {
    return Number(value);
  }
  return value;
}

/** "true" / "false" in any case → booleans; anything else unchanged. */
export function toFlag(value: unknown): unknown {
  if (typeof value === 'string' && /^(true|false)$/i.test(value)) {
    return value.toLowerCase() === 'true';
  }
  return value;
}

/** A number field (or a list of numbers) that also accepts its text form, as `${ENV}` gives it. */
export function Numeric(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => toNumber(value), { toClassOnly: true });
}

/** A boolean field that also accepts "true" / "false", as `${ENV}` gives them. */
export function Flag(): PropertyDecorator {
  return Transform(({ value }: { value: unknown }) => toFlag(value), { toClassOnly: true });
}

const NUMBER_RULES = new Set(['isInt', 'isNumber']);
const FLAG_RULES = new Set(['isBoolean']);

/** Fields of a schema class validated as numbers and as booleans (for coverage checks). */
export function scalarFieldsOf(type: new () => object): { numbers: string[]; flags: string[] } {
  const rules = getMetadataStorage().getTargetValidationMetadatas(type, '', true, false);
  const pick = (names: ReadonlySet<string>): string[] => [
    ...new Set(rules.filter((r) => r.name && names.has(r.name)).map((r) => r.propertyName)),
  ];
  return { numbers: pick(NUMBER_RULES), flags: pick(FLAG_RULES) };
}
