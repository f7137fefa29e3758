import { schema as officialSchema } from '@jsonresume/schema';
import { isJsonObject } from './json-resume';

type Schema = Record<string, unknown>;

/** What a model is told a date looks like (the official schema says it with a pattern). */
const DATE_SCHEMA: Schema = {
  type: 'string',
  description: 'YYYY, YYYY-MM or YYYY-MM-DD',
};

/** Top-level keys a model never writes: tooling, not resume content. */
const LEFT_OUT = new Set(['$schema', 'meta']);

/**
 * The JSON Resume schema as a closed, provider-facing schema, derived from the official
 * one so the two never drift: every object gets `additionalProperties: false` (Gemini
 * rejects open objects, OpenAI's and Anthropic's structured outputs want them closed),
 * the date `$ref` is inlined, and `format`/`pattern`/descriptions are dropped (not every
 * provider accepts them; the output check enforces them with the official validator).
 */
export const JSON_RESUME_OUTPUT_SCHEMA: Schema = closed(officialSchema, true);

function closed(node: Schema, root = false): Schema {
  if (typeof node.$ref === 'string') return { ...DATE_SCHEMA };
  const out: Schema = {};
  if (typeof node.type === 'string') out.type = node.type;
  if (isJsonObject(node.properties)) {
    out.properties = Object.fromEntries(
      Object.entries(node.properties)
        .filter(([name]) => !(root && LEFT_OUT.has(name)))
        .map(([name, sub]) => [name, closed(sub as Schema)]),
    );
  }
  if (isJsonObject(node.items)) out.items = closed(node.items);
  if (out.type === 'object' || out.properties) {
    out.type = 'object';
    out.additionalProperties = false;
  }
  return out;
}
