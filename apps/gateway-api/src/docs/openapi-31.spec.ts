import { toOpenApi31 } from './openapi-31';

/** A 3.0-flavoured document with the same schema in every position a schema can take. */
function documentWith(schema: Record<string, unknown>) {
  const media = { 'application/json': { schema: structuredClone(schema), example: { a: 1 } } };
  return {
    openapi: '3.0.0',
    paths: {
      '/things/{id}': {
        parameters: [{ name: 'id', in: 'path', example: 'x', schema: structuredClone(schema) }],
        get: {
          parameters: [{ name: 'q', in: 'query', schema: structuredClone(schema) }],
          requestBody: { content: structuredClone(media) },
          responses: {
            '200': {
              description: 'ok',
              content: structuredClone(media),
              headers: { 'x-h': { schema: structuredClone(schema) } },
            },
          },
        },
      },
    },
    components: { schemas: { Thing: structuredClone(schema) } },
  };
}

describe(toOpenApi31.name, () => {
  it('sets the version and leaves its input as it was', () => {
    const input = documentWith({ type: 'string', nullable: true });
    const before = structuredClone(input);

    const output = toOpenApi31(input);

    expect(output.openapi).toBe('3.1.0');
    expect(input).toEqual(before);
  });

  it('turns `nullable` into a null type in every schema position', () => {
    const output = toOpenApi31(documentWith({ type: 'string', nullable: true }));
    const item = output.paths['/things/{id}'];
    const expected = { type: ['string', 'null'] };

    expect(output.components.schemas.Thing).toEqual(expected);
    expect(item.parameters[0].schema).toEqual(expected);
    expect(item.get.parameters[0].schema).toEqual(expected);
    expect(item.get.requestBody.content['application/json'].schema).toEqual(expected);
    expect(item.get.responses['200'].content['application/json'].schema).toEqual(expected);
    expect(item.get.responses['200'].headers['x-h'].schema).toEqual(expected);
  });

  it('adds null to a type list and to an enum, once', () => {
    const output = toOpenApi31(
      documentWith({ type: ['string', 'null'], enum: ['a', 'b'], nullable: true }),
    );

    expect(output.components.schemas.Thing).toEqual({
      type: ['string', 'null'],
      enum: ['a', 'b', null],
    });
  });

  it('makes a nullable schema without a type (a $ref) "that schema, or null"', () => {
    const output = toOpenApi31(
      documentWith({ $ref: '#/components/schemas/Other', description: 'd', nullable: true }),
    );

    expect(output.components.schemas.Thing).toEqual({
      anyOf: [{ $ref: '#/components/schemas/Other', description: 'd' }, { type: 'null' }],
    });
  });

  it('drops `nullable: false`', () => {
    const output = toOpenApi31(documentWith({ type: 'integer', nullable: false }));

    expect(output.components.schemas.Thing).toEqual({ type: 'integer' });
  });

  it('rewrites nested schemas: properties, items, additionalProperties, allOf', () => {
    const output = toOpenApi31(
      documentWith({
        type: 'object',
        properties: {
          // A property *named* nullable is a schema, not the 3.0 flag.
          nullable: { type: 'boolean' },
          list: { type: 'array', items: { type: 'number', nullable: true } },
        },
        additionalProperties: { type: 'object', nullable: true, example: { k: 1 } },
        allOf: [{ type: 'object', nullable: true }],
      }),
    );

    expect(output.components.schemas.Thing).toEqual({
      type: 'object',
      properties: {
        nullable: { type: 'boolean' },
        list: { type: 'array', items: { type: ['number', 'null'] } },
      },
      additionalProperties: { type: ['object', 'null'], examples: [{ k: 1 }] },
      allOf: [{ type: ['object', 'null'] }],
    });
  });

  it('turns boolean exclusive bounds into numeric ones', () => {
    const output = toOpenApi31(
      documentWith({
        type: 'number',
        minimum: 0,
        exclusiveMinimum: true,
        maximum: 10,
        exclusiveMaximum: false,
      }),
    );

    expect(output.components.schemas.Thing).toEqual({
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 10,
    });
  });

  it("moves a schema's `example` to `examples`, and leaves 3.1's own `example` fields alone", () => {
    const output = toOpenApi31(documentWith({ type: 'string', example: 'hi' }));
    const item = output.paths['/things/{id}'];

    expect(output.components.schemas.Thing).toEqual({ type: 'string', examples: ['hi'] });
    expect(item.parameters[0].example).toBe('x');
    expect(item.get.responses['200'].content['application/json'].example).toEqual({ a: 1 });
  });
});
