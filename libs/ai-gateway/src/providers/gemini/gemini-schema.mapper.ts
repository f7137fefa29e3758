import { GatewayError } from '../../errors/gateway.error';

type JsonSchema = Record<string, unknown>;

/**
 * Gemini's `Schema` (an OpenAPI 3.0 subset) as the v1beta REST API accepts it. The SDK's
 * own `Schema` type is narrower than the API; the SDK sends whatever we give it.
 */
export interface GeminiSchema {
  type?: string;
  format?: string;
  title?: string;
  description?: string;
  nullable?: boolean;
  enum?: string[];
  items?: GeminiSchema;
  properties?: Record<string, GeminiSchema>;
  required?: string[];
  anyOf?: GeminiSchema[];
  [keyword: string]: unknown;
}

/** Keywords Gemini knows under the same name and meaning: copied as they are. */
const COPIED = [
  'title',
  'description',
  'format',
  'minItems',
  'maxItems',
  'minProperties',
  'maxProperties',
  'minLength',
  'maxLength',
  'pattern',
  'minimum',
  'maximum',
  'default',
  'required',
] as const;

/**
 * Keywords dropped on purpose: annotations that do not constrain the output, and
 * `additionalProperties: false` (OpenAI's strict mode demands it; Gemini only ever
 * produces declared properties, and rejects the keyword).
 */
export const IGNORED_SCHEMA_KEYWORDS: readonly string[] = [
  '$schema',
  '$id',
  '$comment',
  '$defs',
  'definitions',
  'examples',
  'deprecated',
  'readOnly',
  'writeOnly',
  'additionalProperties',
];

/** Handled below with a translation (anything else throws unsupported_feature). */
const TRANSLATED = new Set([
  'type',
  'enum',
  'const',
  'items',
  'properties',
  'anyOf',
  'oneOf',
  '$ref',
]);

const JSON_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'array', 'object']);

interface Walk {
  provider: string;
  root: JsonSchema;
  /** `$ref`s being inlined, to refuse recursive schemas Gemini cannot express. */
  resolving: string[];
}

/**
 * Converts a JSON Schema (OpenAI tool parameters, `json_schema` response formats) to
 * Gemini's schema. Local `$ref`s are inlined, `oneOf` becomes `anyOf` (Gemini has no
 * exclusive union; the shapes it allows are the same), `const` a one-value enum,
 * `type: [T, "null"]` a nullable T. Recursive refs, tuples, `allOf`, `not`, conditionals,
 * non-string enums and open `additionalProperties` throw `unsupported_feature` naming
 * the keyword's path in `param`.
 */
export function toGeminiSchema(schema: unknown, provider: string, param: string): GeminiSchema {
  if (!isObject(schema)) throw unsupported(provider, 'a schema must be an object', param);
  return convert(schema, { provider, root: schema, resolving: [] }, param);
}

function convert(schema: JsonSchema, walk: Walk, path: string): GeminiSchema {
  if (typeof schema.$ref === 'string') return inline(schema, walk, path);
  const out: GeminiSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (value === undefined) continue;
    if ((COPIED as readonly string[]).includes(keyword)) out[keyword] = value;
    else if (keyword === 'additionalProperties' && value !== false) {
      throw unsupported(
        walk.provider,
        'open additionalProperties has no Gemini equivalent',
        `${path}.${keyword}`,
      );
    } else if (!IGNORED_SCHEMA_KEYWORDS.includes(keyword) && !TRANSLATED.has(keyword)) {
      throw unsupported(
        walk.provider,
        `schema keyword "${keyword}" has no Gemini equivalent`,
        `${path}.${keyword}`,
      );
    }
  }
  applyType(schema, out, walk, path);
  applyEnum(schema, out, walk, path);
  if (schema.items !== undefined) {
    if (!isObject(schema.items))
      throw unsupported(walk.provider, 'tuple items are not supported', `${path}.items`);
    out.items = convert(schema.items, walk, `${path}.items`);
  }
  if (isObject(schema.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([name, sub]) => [
        name,
        convert(
          asSchema(sub, walk, `${path}.properties.${name}`),
          walk,
          `${path}.properties.${name}`,
        ),
      ]),
    );
  }
  const union = schema.anyOf ?? schema.oneOf;
  if (union !== undefined) {
    const key = schema.anyOf !== undefined ? 'anyOf' : 'oneOf';
    if (!Array.isArray(union))
      throw unsupported(walk.provider, `${key} must be an array`, `${path}.${key}`);
    out.anyOf = union.map((sub, i) =>
      convert(asSchema(sub, walk, `${path}.${key}[${i}]`), walk, `${path}.${key}[${i}]`),
    );
  }
  return out;
}

function applyType(schema: JsonSchema, out: GeminiSchema, walk: Walk, path: string): void {
  const declared = schema.type;
  if (declared === undefined) return;
  const types = Array.isArray(declared) ? declared : [declared];
  const concrete = types.filter((t) => t !== 'null');
  if (concrete.length !== 1 || typeof concrete[0] !== 'string' || !JSON_TYPES.has(concrete[0])) {
    throw unsupported(
      walk.provider,
      'a schema type must be one JSON type, optionally with "null"',
      `${path}.type`,
    );
  }
  out.type = concrete[0];
  if (concrete.length < types.length) out.nullable = true;
}

function applyEnum(schema: JsonSchema, out: GeminiSchema, walk: Walk, path: string): void {
  const values = schema.const !== undefined ? [schema.const] : schema.enum;
  if (values === undefined) return;
  const key = schema.const !== undefined ? 'const' : 'enum';
  if (!Array.isArray(values))
    throw unsupported(walk.provider, 'enum must be an array', `${path}.${key}`);
  const strings = values.filter((v) => v !== null);
  if (
    !strings.every((v): v is string => typeof v === 'string') ||
    (out.type ?? 'string') !== 'string'
  ) {
    throw unsupported(walk.provider, 'Gemini enums hold strings only', `${path}.${key}`);
  }
  out.type = 'string';
  out.format = 'enum';
  out.enum = strings;
  if (strings.length < values.length) out.nullable = true;
}

function inline(schema: JsonSchema, walk: Walk, path: string): GeminiSchema {
  const ref = schema.$ref as string;
  const match = /^#\/(\$defs|definitions)\/([^/]+)$/.exec(ref);
  const target = match ? (walk.root[match[1]] as JsonSchema | undefined)?.[match[2]] : undefined;
  if (!isObject(target))
    throw unsupported(walk.provider, 'only local $defs references are supported', `${path}.$ref`);
  if (walk.resolving.includes(ref))
    throw unsupported(walk.provider, 'recursive schemas are not supported', `${path}.$ref`);
  // Keywords beside a $ref (a description, say) refine the referenced schema.
  const { $ref: _ref, ...siblings } = schema;
  const resolved = convert(target, { ...walk, resolving: [...walk.resolving, ref] }, path);
  return { ...resolved, ...convert(siblings, walk, path) };
}

function asSchema(value: unknown, walk: Walk, path: string): JsonSchema {
  if (!isObject(value)) throw unsupported(walk.provider, 'a schema must be an object', path);
  return value;
}

function isObject(value: unknown): value is JsonSchema {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function unsupported(provider: string, message: string, param: string): GatewayError {
  return GatewayError.unsupported(
    provider,
    `Gemini cannot carry this schema: ${message} (${param})`,
    param,
  );
}
