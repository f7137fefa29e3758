import type { FastifyRequest } from 'fastify';
import { presentedKey } from './presented-key';

const withHeaders = (headers: Record<string, string>): FastifyRequest =>
  ({ headers }) as unknown as FastifyRequest;

describe(presentedKey.name, () => {
  it.each([
    [{ authorization: 'Bearer gk_abc' }, 'gk_abc'],
    [{ authorization: 'bearer   gk_abc  ' }, 'gk_abc'],
    [{ 'x-api-key': 'gk_abc' }, 'gk_abc'],
    [{ authorization: 'Bearer gk_a', 'x-api-key': 'gk_b' }, 'gk_a'],
    [{ authorization: 'Basic dXNlcjpwYXNz' }, undefined],
    [{ authorization: 'Bearer' }, undefined],
    [{ 'x-api-key': '' }, undefined],
    [{}, undefined],
  ])('%j → %s', (headers, expected) => {
    expect(presentedKey(withHeaders(headers))).toBe(expected);
  });
});
