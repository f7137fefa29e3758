/**
 * The JSON Schema subset a YAML task's output may use: the keywords every provider's
 * structured output accepts (OpenAI, Gemini's OpenAPI subset, Anthropic's tool input),
 * checked at boot, and the validator that judges answers against it at run time. A
 * keyword outside the subset is refused at boot rather than silently not enforced.
 */

export const SCHEMA_TYPES = ['object', 'array', 'string', 'number', 'integer', 'boolean'] as const;
export type SchemaType = (typeof SCHEMA_TYPES)[number];

/** A checked output schema. Objects are closed: `additionalProperties: false` is implied. */
export interface OutputSchema {
  type: SchemaType;
  description?: string;
  title?: string;
  properties?: Record<string, OutputSchema>;
  required?: string[];
  additionalProperties?: false;
  items?: OutputSchema;
  minItems?: number;
  maxItems?: number;
  enum?: string[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
}

const COMMON = ['type', 'description', 'title'];
const BY_TYPE: Readonly<Record<SchemaType, readonly string[]>> = {
  object: ['properties', 'required', 'additionalProperties'],
  array: ['items', 'minItems', 'maxItems'],
  string: ['enum', 'minLength', 'maxLength'],
  number: ['minimum', 'maximum'],
  integer: ['minimum', 'maximum'],
  boolean: [],
};
const SUPPORTED = [...COMMON, ...new Set(Object.values(BY_TYPE).flat())];
const COUNTS = ['minItems', 'maxItems', 'minLength', 'maxLength'] as const;
/** Nesting beyond this is refused: no answer a task asks for is that deep. */
const MAX_DEPTH = 8;

type Raw = Record<string, unknown>;

function isMapping(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Checks a schema as written in YAML and returns it with closed objects made explicit;
 * adds `<path>: <reason>` to `problems` for each fault (the schema returned then is only
 * good for checking the rules against, never for use). The root must be an object:
 * answers are parsed as one JSON object.
 */
export function readOutputSchema(raw: unknown, path: string, problems: string[]): OutputSchema {
  const schema = readNode(raw, path, problems, 0);
  if (isMapping(raw) && schema.type !== 'object') {
    problems.push(`${path}.type: the output must be an object`);
  }
  return schema;
}

function readNode(raw: unknown, path: string, problems: string[], depth: number): OutputSchema {
  const fail = (at: string, reason: string): void => void problems.push(`${at}: ${reason}`);
  if (!isMapping(raw)) {
    fail(path, 'must be a schema (a mapping with a type)');
    return { type: 'string' };
  }
  if (depth > MAX_DEPTH) fail(path, `is nested deeper than ${MAX_DEPTH} levels`);
  const type = raw.type as SchemaType;
  if (!(SCHEMA_TYPES as readonly unknown[]).includes(type)) {
    fail(`${path}.type`, `must be one of ${SCHEMA_TYPES.join(', ')}`);
    return { type: 'string' };
  }
  const allowed = [...COMMON, ...BY_TYPE[type]];
  for (const keyword of Object.keys(raw)) {
    if (!SUPPORTED.includes(keyword)) {
      fail(`${path}.${keyword}`, `unsupported keyword (supported: ${SUPPORTED.join(', ')})`);
    } else if (!allowed.includes(keyword)) {
      fail(`${path}.${keyword}`, `does not apply to type ${type}`);
    }
  }
  const schema: OutputSchema = { type };
  for (const key of ['description', 'title'] as const) {
    if (raw[key] === undefined) continue;
    if (typeof raw[key] === 'string') schema[key] = raw[key];
    else fail(`${path}.${key}`, 'must be a string');
  }
  for (const key of COUNTS) {
    if (raw[key] === undefined || !allowed.includes(key)) continue;
    if (Number.isInteger(raw[key]) && (raw[key] as number) >= 0) schema[key] = raw[key] as number;
    else fail(`${path}.${key}`, 'must be a whole number, 0 or more');
  }
  for (const key of ['minimum', 'maximum'] as const) {
    if (raw[key] === undefined || !allowed.includes(key)) continue;
    if (typeof raw[key] === 'number' && Number.isFinite(raw[key])) schema[key] = raw[key];
    else fail(`${path}.${key}`, 'must be a number');
  }
  for (const [low, high] of [
    ['minItems', 'maxItems'],
    ['minLength', 'maxLength'],
    ['minimum', 'maximum'],
  ] as const) {
    if (schema[low] !== undefined && schema[high] !== undefined && schema[low] > schema[high]) {
      fail(`${path}.${low}`, `must not exceed ${high}`);
    }
  }
  if (type === 'object') readObject(raw, schema, path, problems, depth);
  if (type === 'array') {
    if (raw.items === undefined) fail(`${path}.items`, 'is required for an array');
    else schema.items = readNode(raw.items, `${path}.items`, problems, depth + 1);
  }
  if (type === 'string' && raw.enum !== undefined) {
    const values = raw.enum;
    if (
      !Array.isArray(values) ||
      values.length === 0 ||
      !values.every((v) => typeof v === 'string') ||
      new Set(values).size !== values.length
    ) {
      fail(`${path}.enum`, 'must be a non-empty list of distinct strings');
    } else schema.enum = values;
  }
  return schema;
}

function readObject(
  raw: Raw,
  schema: OutputSchema,
  path: string,
  problems: string[],
  depth: number,
): void {
  if (raw.additionalProperties !== undefined && raw.additionalProperties !== false) {
    problems.push(`${path}.additionalProperties: only false is supported (objects are closed)`);
  }
  schema.additionalProperties = false;
  if (!isMapping(raw.properties) || Object.keys(raw.properties).length === 0) {
    problems.push(`${path}.properties: must map at least one property name to its schema`);
    return;
  }
  schema.properties = {};
  for (const [name, sub] of Object.entries(raw.properties)) {
    schema.properties[name] = readNode(sub, `${path}.properties.${name}`, problems, depth + 1);
  }
  if (raw.required === undefined) return;
  const required = raw.required;
  if (!Array.isArray(required) || !required.every((n) => typeof n === 'string')) {
    problems.push(`${path}.required: must be a list of property names`);
    return;
  }
  for (const name of required) {
    if (!Object.hasOwn(schema.properties, name)) {
      problems.push(`${path}.required: "${name}" is not one of the properties`);
    }
  }
  schema.required = [...new Set(required)];
}

/**
 * What is wrong with an answer, as short sentences for the repair prompt (`reasons[2]
 * must be a string`). Empty when the answer fits the schema.
 */
export function schemaProblems(value: unknown, schema: OutputSchema): string[] {
  return problemsAt(value, schema, '');
}

function problemsAt(value: unknown, schema: OutputSchema, path: string): string[] {
  const at = path === '' ? 'the answer' : path;
  switch (schema.type) {
    case 'object': {
      if (!isMapping(value)) return [`${at} must be an object`];
      const properties = schema.properties ?? {};
      const missing = (schema.required ?? [])
        .filter((name) => value[name] === undefined)
        .map((name) => `${join(path, name)} is required`);
      return [
        ...missing,
        ...Object.entries(value).flatMap(([name, item]) =>
          Object.hasOwn(properties, name)
            ? problemsAt(item, properties[name], join(path, name))
            : [`${join(path, name)} is not allowed`],
        ),
      ];
    }
    case 'array': {
      if (!Array.isArray(value)) return [`${at} must be an array`];
      const { minItems = 0, maxItems = Infinity } = schema;
      const count =
        value.length < minItems || value.length > maxItems
          ? [`${at} must have ${range(minItems, maxItems)} items (it has ${value.length})`]
          : [];
      return [
        ...count,
        ...value.flatMap((item, i) => problemsAt(item, schema.items!, `${path}[${i}]`)),
      ];
    }
    case 'string': {
      if (typeof value !== 'string') return [`${at} must be a string`];
      if (schema.enum && !schema.enum.includes(value)) {
        return [`${at} must be one of ${schema.enum.join(', ')}`];
      }
      const { minLength = 0, maxLength = Infinity } = schema;
      return value.length < minLength || value.length > maxLength
        ? [`${at} must have ${range(minLength, maxLength)} characters`]
        : [];
    }
    case 'number':
    case 'integer': {
      const whole = schema.type === 'integer';
      if (
        typeof value !== 'number' ||
        !Number.isFinite(value) ||
        (whole && !Number.isInteger(value))
      ) {
        return [`${at} must be ${whole ? 'a whole number' : 'a number'}`];
      }
      const { minimum = -Infinity, maximum = Infinity } = schema;
      return value < minimum || value > maximum
        ? [`${at} must be ${bounds(minimum, maximum)}`]
        : [];
    }
    case 'boolean':
      return typeof value === 'boolean' ? [] : [`${at} must be true or false`];
  }
}

function join(path: string, name: string): string {
  return path === '' ? name : `${path}.${name}`;
}

function range(min: number, max: number): string {
  if (max === Infinity) return `at least ${min}`;
  return min === max ? `exactly ${min}` : `${min} to ${max}`;
}

function bounds(min: number, max: number): string {
  if (max === Infinity) return `at least ${min}`;
  if (min === -Infinity) return `at most ${max}`;
  return `from ${min} to ${max}`;
}
