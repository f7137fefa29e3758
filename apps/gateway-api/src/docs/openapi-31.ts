/**
 * OpenAPI 3.0 → 3.1 for what `@nestjs/swagger` (and decorators of other libraries, such as
 * terminus' `@HealthCheck`) still write in 3.0's dialect. 3.1's schemas are JSON Schema
 * 2020-12: `nullable` is a `null` type, `exclusiveMinimum` a number, `example` a list of
 * `examples`. Only schema positions are rewritten — elsewhere `example` is still 3.1's
 * own field (parameters, media types).
 */

type Json = Record<string, unknown>;

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];

/** Keywords whose value is a schema. */
const SCHEMA_KEYWORDS = [
  'items',
  'not',
  'additionalProperties',
  'unevaluatedProperties',
  'unevaluatedItems',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
];
/** Keywords whose value is a list of schemas. */
const SCHEMA_LIST_KEYWORDS = ['allOf', 'anyOf', 'oneOf', 'prefixItems'];
/** Keywords whose value is a map of schemas. */
const SCHEMA_MAP_KEYWORDS = ['properties', 'patternProperties', '$defs', 'dependentSchemas'];

/** The document in 3.1's dialect (a copy: the input is left as it was). */
export function toOpenApi31<T extends object>(document: T): T & { openapi: '3.1.0' } {
  const doc = structuredClone(document) as T & Json;
  const components = asObject(doc.components);
  if (components) {
    mapValues(components.schemas, convertSchema);
    mapValues(components.parameters, convertParameter);
    mapValues(components.headers, convertParameter);
    mapValues(components.requestBodies, convertBody);
    mapValues(components.responses, convertResponse);
  }
  const paths = asObject(doc.paths) ?? {};
  for (const item of Object.values(paths).map(asObject)) {
    if (!item) continue;
    listValues(item.parameters, convertParameter);
    for (const method of HTTP_METHODS) {
      const operation = asObject(item[method]);
      if (!operation) continue;
      listValues(operation.parameters, convertParameter);
      convertBody(operation.requestBody);
      mapValues(operation.responses, convertResponse);
    }
  }
  return Object.assign(doc, { openapi: '3.1.0' as const });
}

/** Rewrites one schema and every schema inside it, in place. */
export function convertSchema(value: unknown): void {
  const schema = asObject(value);
  if (!schema) return;
  convertNullable(schema);
  convertExclusive(schema, 'exclusiveMinimum', 'minimum');
  convertExclusive(schema, 'exclusiveMaximum', 'maximum');
  if ('example' in schema) {
    if (!Array.isArray(schema.examples)) schema.examples = [schema.example];
    delete schema.example;
  }
  for (const keyword of SCHEMA_KEYWORDS) convertSchema(schema[keyword]);
  for (const keyword of SCHEMA_LIST_KEYWORDS) listValues(schema[keyword], convertSchema);
  for (const keyword of SCHEMA_MAP_KEYWORDS) mapValues(schema[keyword], convertSchema);
}

function convertNullable(schema: Json): void {
  if (typeof schema.nullable !== 'boolean') return;
  const nullable = schema.nullable;
  delete schema.nullable;
  if (!nullable) return;
  if (Array.isArray(schema.enum) && !schema.enum.includes(null)) schema.enum.push(null);
  if (typeof schema.type === 'string') {
    schema.type = [schema.type, 'null'];
  } else if (Array.isArray(schema.type)) {
    if (!schema.type.includes('null')) schema.type.push('null');
  } else {
    // No type to widen (a $ref, an allOf): the value is that schema, or null.
    const rest = { ...schema };
    for (const key of Object.keys(schema)) delete schema[key];
    schema.anyOf = [rest, { type: 'null' }];
  }
}

/** 3.0: `exclusiveMinimum: true` qualifies `minimum`; 3.1: it is the bound itself. */
function convertExclusive(schema: Json, exclusive: string, bound: string): void {
  if (typeof schema[exclusive] !== 'boolean') return;
  if (schema[exclusive] === true && typeof schema[bound] === 'number') {
    schema[exclusive] = schema[bound];
    delete schema[bound];
  } else {
    delete schema[exclusive];
  }
}

function convertParameter(value: unknown): void {
  const parameter = asObject(value);
  if (!parameter) return;
  convertSchema(parameter.schema);
  mapValues(parameter.content, convertMedia);
}

function convertBody(value: unknown): void {
  mapValues(asObject(value)?.content, convertMedia);
}

function convertResponse(value: unknown): void {
  const response = asObject(value);
  if (!response) return;
  mapValues(response.content, convertMedia);
  mapValues(response.headers, convertParameter);
}

function convertMedia(value: unknown): void {
  convertSchema(asObject(value)?.schema);
}

function asObject(value: unknown): Json | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
}

function mapValues(value: unknown, convert: (item: unknown) => void): void {
  const map = asObject(value);
  if (map) Object.values(map).forEach(convert);
}

function listValues(value: unknown, convert: (item: unknown) => void): void {
  if (Array.isArray(value)) value.forEach(convert);
}
