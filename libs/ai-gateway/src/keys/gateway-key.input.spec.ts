import { parseGatewayKeyInput } from './gateway-key.input';

describe(parseGatewayKeyInput.name, () => {
  it('accepts a full definition', () => {
    const input = parseGatewayKeyInput({
      name: 'k',
      userId: 'u',
      teamId: 't',
      allowedModels: ['fast', 'openai/*'],
      budget: { dailyUsd: 1.5, monthlyUsd: 20 },
      limits: { requestsPerMinute: 60, tokensPerMinute: 10_000 },
      expiresAt: '2027-01-01T00:00:00Z',
    });
    expect(input).toMatchObject({ name: 'k', budget: { dailyUsd: 1.5 } });
  });

  it.each([
    [null, undefined],
    [[], undefined],
    [{}, 'name'],
    [{ name: '' }, 'name'],
    [{ name: 'k', budget: { dailyUsd: -1 } }, 'budget.dailyUsd'],
    [{ name: 'k', limits: { requestsPerMinute: 0 } }, 'limits.requestsPerMinute'],
    [{ name: 'k', allowedModels: ['a b'] }, 'allowedModels'],
    [{ name: 'k', expiresAt: 'tomorrow' }, 'expiresAt'],
    [{ name: 'k', secret: 'mine' }, 'secret'],
  ])('refuses %j with 400 naming %s', (body, param) => {
    expect(() => parseGatewayKeyInput(body)).toThrow(
      expect.objectContaining({ code: 'invalid_request', param }),
    );
  });

  it('lets an update omit the name', () => {
    expect(parseGatewayKeyInput({ budget: { dailyUsd: 2 } }, true)).toMatchObject({
      budget: { dailyUsd: 2 },
    });
  });
});
