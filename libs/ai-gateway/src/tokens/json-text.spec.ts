import { jsonText } from './json-text';

describe(jsonText.name, () => {
  it('is JSON.stringify for ordinary values', () => {
    const values: unknown[] = [
      'text "quoted" \n',
      42,
      -0.5,
      Number.NaN,
      true,
      null,
      [1, 'two', null, undefined, { three: [3] }],
      { a: 1, b: undefined, c: () => 1, 'd"e': { f: [] }, 2: 'numeric key first' },
    ];
    for (const value of values) expect(jsonText(value)).toBe(JSON.stringify(value));
    expect(jsonText(undefined)).toBe('');
  });

  it('writes values nested past the JSON.stringify stack limit, as JSON.stringify would', () => {
    let nested: unknown = { leaf: ['x', 1] };
    for (let i = 0; i < 100_000; i++) nested = i % 2 ? { k: nested, n: null } : [nested, i];
    expect(() => JSON.stringify(nested)).toThrow(RangeError);
    const text = jsonText(nested);
    expect(text.startsWith('{"k":[{"k":[')).toBe(true);
    expect(text.endsWith('},99996],"n":null},99998],"n":null}')).toBe(true);
    expect(text.split('{"leaf":["x",1]}')).toHaveLength(2);
  });

  it('writes a cycle, a repeated object and a BigInt as null instead of throwing', () => {
    const cyclic: Record<string, unknown> = { name: 'loop' };
    cyclic.self = cyclic;
    expect(jsonText(cyclic)).toBe('{"name":"loop","self":null}');
    expect(jsonText({ big: 1n, list: [2n] })).toBe('{"big":null,"list":[null]}');
  });
});
