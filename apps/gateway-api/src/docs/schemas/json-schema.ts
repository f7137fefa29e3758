/** JSON types of OpenAPI 3.1 (JSON Schema 2020-12): `null` is a type, not a `nullable` flag. */
export type JsonType = 'string' | 'number' | 'integer' | 'boolean' | 'object' | 'array' | 'null';

/**
 * The part of a JSON Schema 2020-12 object the gateway's documents use. No index
 * signature: a misspelt keyword does not compile.
 */
export interface JsonSchema {
  $ref?: string;
  type?: JsonType | readonly JsonType[];
  title?: string;
  description?: string;
  format?: string;
  enum?: readonly (string | number | boolean | null)[];
  const?: string | number | boolean | null;
  default?: unknown;
  examples?: readonly unknown[];
  properties?: Readonly<Record<string, JsonSchema>>;
  required?: readonly string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  allOf?: readonly JsonSchema[];
  oneOf?: readonly JsonSchema[];
  anyOf?: readonly JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  maxItems?: number;
  pattern?: string;
  readOnly?: boolean;
  writeOnly?: boolean;
}

/** A reference to a schema of the document's `components.schemas`. */
export function ref(name: string): JsonSchema {
  return { $ref: `#/components/schemas/${name}` };
}

/** `schema` that may also be `null` (a type array in 3.1; a `$ref` becomes a `oneOf`). */
export function nullable(schema: JsonSchema): JsonSchema {
  if (schema.type === undefined) return { oneOf: [schema, { type: 'null' }] };
  const types: readonly JsonType[] = typeof schema.type === 'string' ? [schema.type] : schema.type;
  return { ...schema, type: types.includes('null') ? types : [...types, 'null'] };
}

/** Shorthands for the leaf types, each with its description. */
export const string = (description?: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'string',
  ...(description ? { description } : {}),
  ...extra,
});
export const integer = (description?: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'integer',
  ...(description ? { description } : {}),
  ...extra,
});
export const number = (description?: string, extra: JsonSchema = {}): JsonSchema => ({
  type: 'number',
  ...(description ? { description } : {}),
  ...extra,
});
export const boolean = (description?: string): JsonSchema => ({
  type: 'boolean',
  ...(description ? { description } : {}),
});
export const dateTime = (description?: string): JsonSchema =>
  string(description, { format: 'date-time' });
export const arrayOf = (items: JsonSchema, description?: string): JsonSchema => ({
  type: 'array',
  items,
  ...(description ? { description } : {}),
});
export const oneOfValues = (values: readonly string[], description?: string): JsonSchema =>
  string(description, { enum: values });

/**
 * Every value of a string union, as a list: `allValuesOf<UsageDimension>()([...])` does not
 * compile when the library adds a value the list lacks (or the list names one it has not).
 */
export function allValuesOf<T extends string>() {
  return <const L extends readonly T[]>(
    values: L &
      ([Exclude<T, L[number]>] extends [never] ? unknown : { missing: Exclude<T, L[number]> }),
  ): L => values;
}

/** Marks a property that may be absent (a `?` field of the TypeScript type). */
export class OptionalField {
  constructor(readonly schema: JsonSchema) {}
}

export const optional = (schema: JsonSchema): OptionalField => new OptionalField(schema);

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/**
 * One schema per property of `T`, every property of it: optional ones wrapped in
 * {@link optional}, the others plain. A field added to the library's type and not described
 * here does not compile, nor does a field that is not in the type.
 */
export type PropertiesOf<T> = {
  [K in keyof T & string]-?: K extends OptionalKeys<T> ? OptionalField : JsonSchema;
};

/**
 * The object schema of a TypeScript type from the library (`objectOf<GatewayKeyView>()(…)`):
 * `required` is every property not marked {@link optional}.
 */
export function objectOf<T>() {
  return (
    properties: PropertiesOf<T>,
    description?: string,
    extra: JsonSchema = {},
  ): JsonSchema => {
    const schemas: Record<string, JsonSchema> = {};
    const required: string[] = [];
    const fields: Record<string, JsonSchema | OptionalField> = properties;
    for (const [name, field] of Object.entries(fields)) {
      if (field instanceof OptionalField) {
        schemas[name] = field.schema;
      } else {
        schemas[name] = field;
        required.push(name);
      }
    }
    return {
      type: 'object',
      ...(description ? { description } : {}),
      properties: schemas,
      ...(required.length > 0 ? { required } : {}),
      ...extra,
    };
  };
}
