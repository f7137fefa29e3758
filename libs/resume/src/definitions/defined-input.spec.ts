import { GatewayErrorCode } from '@ai-gateway/core';
import { definedInputSize, readInputFields, validateDefinedInput } from './defined-input';

const FIELDS = readInputFields(
  [
    { name: 'invoiceText', type: 'string', required: true, maxLength: 20 },
    { name: 'policy', type: 'string' },
    { name: 'limit', type: 'number' },
    { name: 'strict', type: 'boolean' },
    { name: 'tags', type: 'string[]', maxItems: 2, maxLength: 5 },
  ],
  'input',
  [],
);

describe(readInputFields.name, () => {
  it('lists every fault of the field list', () => {
    const problems: string[] = [];
    readInputFields(
      [
        { name: 'text', type: 'text', required: 'yes' },
        { name: 'text', type: 'string', maxItems: 3 },
        { name: '1st', type: 'number', maxLength: 10, default: 1 },
        'nope',
      ],
      'input',
      problems,
    );
    expect(problems).toEqual([
      'input[0].type: must be one of string, number, boolean, string[]',
      'input[0].required: must be true or false',
      'input[1].name: "text" is declared twice',
      "input[1].maxItems: does not apply to this field's type",
      'input[2].default: unknown key (expected name, type, required, maxLength, maxItems, description)',
      'input[2].name: must be an identifier ([A-Za-z_][A-Za-z0-9_]*, 64 at most)',
      "input[2].maxLength: does not apply to this field's type",
      'input[3]: must be a field (name, type, required, maxLength)',
    ]);
    const empty: string[] = [];
    readInputFields([], 'input', empty);
    expect(empty).toEqual(['input: must be a list of 1 to 50 fields']);
  });
});

describe(validateDefinedInput.name, () => {
  it('returns only the declared fields that were given', () => {
    const input = { invoiceText: 'INV-1', limit: 3, strict: true, tags: ['a', 'bb'] };
    expect(validateDefinedInput(FIELDS, input)).toEqual(input);
    expect(definedInputSize(validateDefinedInput(FIELDS, input))).toBe(8);
  });

  it.each([
    ['a missing required field', {}, 'input.invoiceText', 'is required'],
    ['a blank required text', { invoiceText: '  ' }, 'input.invoiceText', 'must not be empty'],
    ['a text too long', { invoiceText: 'x'.repeat(21) }, 'input.invoiceText', 'at most 20'],
    ['an unknown field', { invoiceText: 'a', total: 1 }, 'input.total', 'is not a known field'],
    ['a number as text', { invoiceText: 'a', limit: '3' }, 'input.limit', 'must be a number'],
    ['a flag as text', { invoiceText: 'a', strict: 'yes' }, 'input.strict', 'true or false'],
    ['a list too long', { invoiceText: 'a', tags: ['a', 'b', 'c'] }, 'input.tags', 'at most 2'],
    ['a list item too long', { invoiceText: 'a', tags: ['abcdef'] }, 'input.tags', 'at most 5'],
    ['a list of numbers', { invoiceText: 'a', tags: [1] }, 'input.tags', 'list of strings'],
    ['not an object', 'INV-1', 'input', 'must be a JSON object'],
  ])('refuses %s as the caller’s mistake on the field', (_case, input, param, message) => {
    expect(() => validateDefinedInput(FIELDS, input)).toThrow(
      expect.objectContaining({
        code: GatewayErrorCode.INVALID_REQUEST,
        param,
        message: expect.stringContaining(message) as string,
      }),
    );
  });
});
