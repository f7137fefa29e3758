import { validateHeaderValue } from 'node:http';
import { headerValue } from './header-value';

describe(headerValue.name, () => {
  it('leaves visible ASCII alone', () => {
    expect(headerValue('openai/gpt-4o-mini=ok, b/c=timeout')).toBe(
      'openai/gpt-4o-mini=ok, b/c=timeout',
    );
  });

  it.each([
    ['any/Ā', 'any/%C4%80'],
    ['any/😀', 'any/%F0%9F%98%80'],
    ['a\u0000b\r\nc', 'a%00b%0D%0Ac'],
    ['x\ud800y', 'x%EF%BF%BDy'],
  ])('percent-encodes %j as %j, a value Node accepts', (input, expected) => {
    const value = headerValue(input);
    expect(value).toBe(expected);
    expect(() => validateHeaderValue('x-gateway-model', value)).not.toThrow();
  });
});
