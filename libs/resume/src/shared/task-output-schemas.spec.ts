import { OPTIMIZE_OUTPUT } from '../optimize/optimize.output';
import { PARSE_OUTPUT } from '../parse/parse.output';
import { SCORE_OUTPUT } from '../score/score.output';
import { testOutputSpec } from '../test/test.output';

type Node = Record<string, unknown>;

/**
 * What every provider's structured output accepts: OpenAI, Gemini (no open objects, no
 * allOf/not/tuples), Anthropic (no numeric bounds, no maxItems, minItems 0 or 1). The
 * bounds a provider cannot enforce are the output checks' to enforce.
 */
const PORTABLE = new Set([
  'type',
  'properties',
  'required',
  'items',
  'enum',
  'description',
  'additionalProperties',
  'minItems',
]);

/** Every keyword outside the portable subset, by path. */
function unportable(node: Node, path: string): string[] {
  const found = Object.keys(node)
    .filter((key) => !PORTABLE.has(key))
    .map((key) => `${path}.${key}`);
  if (node.type === 'object' && node.additionalProperties !== false) {
    found.push(`${path} is not closed`);
  }
  if (typeof node.minItems === 'number' && node.minItems > 1) found.push(`${path}.minItems > 1`);
  if (node.enum !== undefined && !(node.enum as unknown[]).every((v) => typeof v === 'string')) {
    found.push(`${path}.enum is not all strings`);
  }
  const properties = (node.properties ?? {}) as Record<string, Node>;
  for (const name of (node.required ?? []) as string[]) {
    if (!(name in properties)) found.push(`${path}.required names unknown "${name}"`);
  }
  for (const [name, sub] of Object.entries(properties)) {
    found.push(...unportable(sub, `${path}.${name}`));
  }
  if (node.items) found.push(...unportable(node.items as Node, `${path}[]`));
  return found;
}

describe('task output schemas', () => {
  it.each([
    PARSE_OUTPUT,
    SCORE_OUTPUT,
    OPTIMIZE_OUTPUT,
    testOutputSpec({ count: 8, difficulty: 'mixed' }),
    testOutputSpec({ count: 20, difficulty: 'hard' }),
  ])('$name uses only the subset every provider accepts', (spec) => {
    expect(spec.name).toMatch(/^[a-z0-9_]{1,64}$/);
    expect(unportable(spec.jsonSchema, spec.name)).toEqual([]);
  });
});
