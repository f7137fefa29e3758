import type { OutputSchema } from './output-schema';
import { readOutputSchema, schemaProblems } from './output-schema';

const INVOICE_SCHEMA = {
  type: 'object',
  properties: {
    decision: { type: 'string', enum: ['PASS', 'FAIL', 'NEEDS_INFO'] },
    reasons: { type: 'array', items: { type: 'string', maxLength: 20 }, minItems: 1, maxItems: 2 },
    lines: {
      type: 'array',
      items: {
        type: 'object',
        properties: { amount: { type: 'number', minimum: 0 }, qty: { type: 'integer' } },
        required: ['amount'],
      },
    },
    urgent: { type: 'boolean' },
  },
  required: ['decision', 'reasons'],
};

function read(raw: unknown): { schema: OutputSchema | undefined; problems: string[] } {
  const problems: string[] = [];
  const schema = readOutputSchema(raw, 'output.schema', problems);
  return { schema: problems.length === 0 ? schema : undefined, problems };
}

describe(readOutputSchema.name, () => {
  it('accepts the supported subset and makes every object closed', () => {
    const { schema, problems } = read(INVOICE_SCHEMA);
    expect(problems).toEqual([]);
    expect(schema).toMatchObject({
      additionalProperties: false,
      properties: { lines: { items: { additionalProperties: false } } },
    });
  });

  it('lists every keyword outside the subset, or on a type it does not apply to', () => {
    const { schema, problems } = read({
      type: 'object',
      properties: {
        code: { type: 'string', pattern: '^[A-Z]+$', format: 'email' },
        count: { type: 'integer', maxLength: 3 },
        any: { anyOf: [{ type: 'string' }] },
        list: { type: 'array' },
        when: { type: 'string', enum: [] },
      },
      required: ['code', 'missing'],
      additionalProperties: true,
    });
    expect(schema).toBeUndefined();
    expect(problems).toEqual([
      'output.schema.additionalProperties: only false is supported (objects are closed)',
      expect.stringMatching(/^output\.schema\.properties\.code\.pattern: unsupported keyword/),
      expect.stringMatching(/^output\.schema\.properties\.code\.format: unsupported keyword/),
      'output.schema.properties.count.maxLength: does not apply to type integer',
      'output.schema.properties.any.type: must be one of object, array, string, number, integer, boolean',
      'output.schema.properties.list.items: is required for an array',
      'output.schema.properties.when.enum: must be a non-empty list of distinct strings',
      'output.schema.required: "missing" is not one of the properties',
    ]);
  });

  it('refuses a root that is not an object, and bounds that contradict each other', () => {
    expect(read({ type: 'array', items: { type: 'string' } }).problems).toEqual([
      'output.schema.type: the output must be an object',
    ]);
    expect(
      read({ type: 'object', properties: { n: { type: 'number', minimum: 5, maximum: 1 } } })
        .problems,
    ).toEqual(['output.schema.properties.n.minimum: must not exceed maximum']);
  });
});

describe(schemaProblems.name, () => {
  const schema = read(INVOICE_SCHEMA).schema!;

  it('finds nothing wrong with an answer that fits', () => {
    const answer = {
      decision: 'PASS',
      reasons: ['Totals add up'],
      lines: [{ amount: 10, qty: 2 }],
    };
    expect(schemaProblems(answer, schema)).toEqual([]);
  });

  it('names each fault by its path, for the repair prompt', () => {
    const answer = {
      decision: 'MAYBE',
      reasons: ['a reason far longer than twenty characters', 7, 'three'],
      lines: [{ qty: 1.5 }, { amount: -1 }],
      urgent: 'yes',
      note: 'extra',
    };
    expect(schemaProblems(answer, schema)).toEqual([
      'decision must be one of PASS, FAIL, NEEDS_INFO',
      'reasons must have 1 to 2 items (it has 3)',
      'reasons[0] must have 0 to 20 characters',
      'reasons[1] must be a string',
      'lines[0].amount is required',
      'lines[0].qty must be a whole number',
      'lines[1].amount must be at least 0',
      'urgent must be true or false',
      'note is not allowed',
    ]);
    expect(schemaProblems([], schema)).toEqual(['the answer must be an object']);
    expect(schemaProblems({}, schema)).toEqual(['decision is required', 'reasons is required']);
  });
});
