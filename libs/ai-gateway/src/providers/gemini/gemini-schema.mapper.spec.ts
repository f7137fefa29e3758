import { GatewayErrorCode } from '../../errors/gateway-error-code';
import type { GatewayError } from '../../errors/gateway.error';
import { toGeminiSchema } from './gemini-schema.mapper';

const P = 'gem';

function thrown(fn: () => unknown): GatewayError {
  try {
    fn();
  } catch (error) {
    return error as GatewayError;
  }
  throw new Error('expected a throw');
}

describe('toGeminiSchema', () => {
  it('inlines local refs, turns oneOf into anyOf, const and enums into string enums', () => {
    const schema = {
      $schema: 'https://json-schema.org/draft/2020-12/schema',
      type: 'object',
      title: 'Order',
      properties: {
        item: { $ref: '#/$defs/Item', description: 'what' },
        status: { enum: ['open', 'closed', null] },
        kind: { const: 'order' },
        tags: { type: 'array', items: { type: 'string', maxLength: 5 }, minItems: 1 },
        payment: { oneOf: [{ type: 'string' }, { type: 'number', minimum: 0 }] },
      },
      required: ['item'],
      $defs: { Item: { type: 'object', properties: { sku: { type: 'string', format: 'uuid' } } } },
    };
    expect(toGeminiSchema(schema, P, 'p')).toEqual({
      type: 'object',
      title: 'Order',
      properties: {
        item: {
          type: 'object',
          properties: { sku: { type: 'string', format: 'uuid' } },
          description: 'what',
        },
        status: { type: 'string', format: 'enum', enum: ['open', 'closed'], nullable: true },
        kind: { type: 'string', format: 'enum', enum: ['order'] },
        tags: { type: 'array', items: { type: 'string', maxLength: 5 }, minItems: 1 },
        payment: { anyOf: [{ type: 'string' }, { type: 'number', minimum: 0 }] },
      },
      required: ['item'],
    });
  });

  it.each([
    [
      'p.properties.a.allOf',
      { type: 'object', properties: { a: { allOf: [{ type: 'string' }] } } },
    ],
    [
      'p.properties.a.properties.a.$ref',
      {
        type: 'object',
        properties: { a: { $ref: '#/$defs/A' } },
        $defs: { A: { properties: { a: { $ref: '#/$defs/A' } } } },
      },
    ],
    ['p.$ref', { $ref: 'https://example.com/schema.json' }],
    ['p.additionalProperties', { type: 'object', additionalProperties: { type: 'string' } }],
    ['p.type', { type: ['string', 'number'] }],
    ['p.enum', { type: 'integer', enum: [1, 2] }],
    ['p.items', { type: 'array', items: [{ type: 'string' }] }],
    ['p.patternProperties', { type: 'object', patternProperties: { '^x': { type: 'string' } } }],
  ])('refuses what Gemini cannot express, at %s', (param, schema) => {
    expect(thrown(() => toGeminiSchema(schema, P, 'p'))).toMatchObject({
      code: GatewayErrorCode.UNSUPPORTED_FEATURE,
      param,
    });
  });
});
