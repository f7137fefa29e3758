import { API_SCHEMAS } from './api-schemas';
import { integer, nullable, objectOf, optional, ref, string } from './json-schema';

interface Sample {
  id: string;
  count?: number;
  note: string | null;
}

describe('json-schema helpers', () => {
  it('objectOf: every property described, required unless marked optional', () => {
    const schema = objectOf<Sample>()(
      { id: string(), count: optional(integer()), note: nullable(string()) },
      'A sample.',
      { additionalProperties: false },
    );

    expect(schema).toEqual({
      type: 'object',
      description: 'A sample.',
      properties: {
        id: { type: 'string' },
        count: { type: 'integer' },
        note: { type: ['string', 'null'] },
      },
      required: ['id', 'note'],
      additionalProperties: false,
    });
  });

  it('nullable: widens a type once, and wraps a $ref in oneOf', () => {
    expect(nullable(nullable(string()))).toEqual({ type: ['string', 'null'] });
    expect(nullable(ref('Thing'))).toEqual({
      oneOf: [{ $ref: '#/components/schemas/Thing' }, { type: 'null' }],
    });
  });

  it('API_SCHEMAS: every $ref names a schema of the set', () => {
    const refs = [...JSON.stringify(API_SCHEMAS).matchAll(/"#\/components\/schemas\/([^"]+)"/g)];
    const dangling = refs.map((m) => m[1]).filter((name) => !(name in API_SCHEMAS));

    expect(refs.length).toBeGreaterThan(10);
    expect(dangling).toEqual([]);
  });
});
