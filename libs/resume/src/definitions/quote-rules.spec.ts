import { readOutputSchema } from './output-schema';
import { quoteProblems, readQuoteRules } from './quote-rules';
import type { InputField } from './task-definition';

const FIELDS: InputField[] = [
  { name: 'invoiceText', type: 'string', required: true, maxLength: 1000, maxItems: 100 },
  { name: 'notes', type: 'string[]', required: false, maxLength: 1000, maxItems: 100 },
  { name: 'amount', type: 'number', required: false, maxLength: 1000, maxItems: 100 },
];
const SCHEMA = readOutputSchema(
  {
    type: 'object',
    properties: {
      evidence: { type: 'array', items: { type: 'string' } },
      findings: {
        type: 'array',
        items: { type: 'object', properties: { quote: { type: 'string' }, n: { type: 'number' } } },
      },
      summary: { type: 'string' },
    },
  },
  'output.schema',
  [],
);

function rules(raw: unknown): { rules: ReturnType<typeof readQuoteRules>; problems: string[] } {
  const problems: string[] = [];
  return { rules: readQuoteRules(raw, SCHEMA, FIELDS, 'output.rules', problems), problems };
}

describe(readQuoteRules.name, () => {
  it('checks each rule against the output schema and the input fields', () => {
    expect(
      rules([
        { path: 'evidence', quotedFrom: 'invoiceText' },
        { path: 'findings[].n', quotedFrom: 'notes' },
        { path: 'summary[]', quotedFrom: 'amount' },
        { path: 'evidence[].x', quotedFrom: 'invoiceText', mode: 'fuzzy' },
        { path: 'a..b', quotedFrom: 'invoiceText' },
      ]).problems,
    ).toEqual([
      'output.rules[0].path: ends at a list: add [] to quote each item',
      'output.rules[1].path: ends at a number, not a string',
      'output.rules[2].quotedFrom: must name a string or string[] input field',
      'output.rules[2].path: "summary" is not a list: drop its []',
      'output.rules[3].mode: unknown rule key (supported: path, quotedFrom)',
      'output.rules[3].path: "x" is not a property of the output there',
      'output.rules[4].path: must be a path such as evidence[] or findings[].quote',
    ]);
  });
});

describe(quoteProblems.name, () => {
  const { rules: checks } = rules([
    { path: 'evidence[]', quotedFrom: 'invoiceText' },
    { path: 'findings[].quote', quotedFrom: 'notes' },
  ]);
  const input = {
    invoiceText: 'Invoice INV-2024-117\nTotal due:   EUR 1,250.00\n\tPayment within 30 days',
    notes: ['Supplier: Initech GmbH', 'PO 4471'],
  };

  it('accepts quotes that appear word for word, whatever the whitespace', () => {
    const answer = {
      evidence: ['Total due: EUR 1,250.00', 'EUR 1,250.00 Payment within 30 days', '1,250'],
      findings: [{ quote: 'Initech GmbH' }, { quote: 'PO 4471' }],
    };
    expect(quoteProblems(checks, answer, input)).toEqual([]);
  });

  it('rejects changed figures, case changes, cut words, empty quotes and quotes across items', () => {
    const answer = {
      evidence: ['Total due: EUR 1,520.00', 'total due: EUR 1,250.00', '  ', 'EUR 1,25'],
      findings: [{ quote: 'Supplier: Initech GmbH PO 4471' }, { n: 1 }],
    };
    expect(quoteProblems(checks, answer, input)).toEqual([
      'evidence[0] "Total due: EUR 1,520.00" does not appear in invoiceText: copy the words exactly as written',
      'evidence[1] "total due: EUR 1,250.00" does not appear in invoiceText: copy the words exactly as written',
      'evidence[2] must quote invoiceText (it is empty)',
      'evidence[3] "EUR 1,25" does not appear in invoiceText: copy the words exactly as written',
      'findings[0].quote "Supplier: Initech GmbH PO 4471" does not appear in notes: copy the words exactly as written',
    ]);
  });

  it('skips shapes that do not fit (the schema check reports those)', () => {
    expect(quoteProblems(checks, { evidence: 'not a list', findings: [7] }, input)).toEqual([]);
  });
});
