import { GatewayError } from '../../errors/gateway.error';
import {
  MAX_JSON_DEPTH,
  MAX_JSON_MEMBERS,
  MAX_JSON_VALUES,
  assertJsonDepth,
  jsonTextTooComplex,
} from './json-depth';

const nestedText = (depth: number): string => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;

describe(jsonTextTooComplex.name, () => {
  it('passes ordinary bodies, and brackets, colons and commas inside strings', () => {
    const body = JSON.stringify({
      model: 'x',
      messages: [{ role: 'user', content: '{[{[ "a": 1, ]}]} \\" ,:,:' }],
    });
    expect(jsonTextTooComplex(body)).toBeUndefined();
    expect(jsonTextTooComplex(nestedText(MAX_JSON_DEPTH))).toBeUndefined();
  });

  it.each([
    [
      'nested one level too deep',
      nestedText(MAX_JSON_DEPTH + 1),
      'nested more than 64 levels deep',
    ],
    ['nested 100,000 deep', '['.repeat(100_000), 'nested more than 64 levels deep'],
    [
      'an object of too many members',
      JSON.stringify(
        Object.fromEntries(Array.from({ length: MAX_JSON_MEMBERS + 1 }, (_, i) => [`k${i}`, i])),
      ),
      `more than ${MAX_JSON_MEMBERS} object members`,
    ],
    [
      'an array of too many values',
      `[${'0,'.repeat(MAX_JSON_VALUES + 1)}0]`,
      `more than ${MAX_JSON_VALUES} values`,
    ],
  ])('refuses text %s', (_label, text, reason) => {
    expect(jsonTextTooComplex(text)).toBe(reason);
  });

  it('lets an embeddings request of 300,000 tokens through', () => {
    const text = JSON.stringify({
      model: 'e',
      input: [Array.from({ length: 300_000 }, (_, i) => i % 1000)],
    });
    expect(jsonTextTooComplex(text)).toBeUndefined();
  });
});

describe(assertJsonDepth.name, () => {
  const deep = (depth: number): unknown => {
    let value: unknown = 1;
    for (let i = 0; i < depth; i++) value = { a: value };
    return value;
  };

  it('passes values up to the bound and refuses one level more with invalid_request', () => {
    expect(() => assertJsonDepth(deep(MAX_JSON_DEPTH))).not.toThrow();
    expect(() => assertJsonDepth(deep(MAX_JSON_DEPTH + 1))).toThrow(GatewayError);
  });

  it('refuses 10,000 levels without overflowing the stack', () => {
    expect(() => assertJsonDepth(deep(10_000))).toThrow('nested more than 64 levels deep');
  });

  it('refuses shared references that would be walked 2^60 times, at once', () => {
    let shared: unknown[] = [];
    for (let i = 0; i < 60; i++) shared = [shared, shared];
    expect(() => assertJsonDepth(shared)).toThrow(`more than ${MAX_JSON_VALUES} values`);
  });

  it('refuses a cycle (it only gets deeper)', () => {
    const cycle: Record<string, unknown> = {};
    cycle.self = cycle;
    expect(() => assertJsonDepth(cycle)).toThrow(GatewayError);
  });
});
