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

  describe('issue 13 item 8: every bad type is a 400, never a 500 from the store', () => {
    it.each([
      [{ name: null }, 'name'],
      [{ name: 5 }, 'name'],
      [{ name: 'a\u0000b' }, 'name'],
      [{ userId: 5 }, 'userId'],
      [{ userId: 'bob\u0000' }, 'userId'],
      [{ teamId: ['t'] }, 'teamId'],
      [{ multiUser: null }, 'multiUser'],
      [{ multiUser: 'yes' }, 'multiUser'],
      [{ allowedModels: 'fast' }, 'allowedModels'],
      [{ allowedModels: [null] }, 'allowedModels'],
      [{ budget: 5 }, 'budget'],
      [{ budget: [] }, 'budget'],
      [{ budget: { dailyUsd: null } }, 'budget.dailyUsd'],
      [{ budget: { dailyUsd: '5' } }, 'budget.dailyUsd'],
      [{ limits: 'x' }, 'limits'],
      [{ limits: { requestsPerMinute: null } }, 'limits.requestsPerMinute'],
      [{ expiresAt: 5 }, 'expiresAt'],
    ])('PATCH %j is a 400 naming %s', (body, param) => {
      expect(() => parseGatewayKeyInput(body, true)).toThrow(
        expect.objectContaining({ code: 'invalid_request', param }),
      );
    });

    it('refuses null for the name and the flag on create too', () => {
      for (const body of [{ name: null }, { name: 'k', multiUser: null }]) {
        expect(() => parseGatewayKeyInput(body)).toThrow(
          expect.objectContaining({ code: 'invalid_request' }),
        );
      }
    });

    it('lets a PATCH clear the nullable fields with null', () => {
      const cleared = {
        userId: null,
        teamId: null,
        allowedModels: null,
        budget: null,
        limits: null,
        expiresAt: null,
      };
      expect(parseGatewayKeyInput(cleared, true)).toMatchObject(cleared);
    });

    it('accepts the multiUser flag', () => {
      expect(parseGatewayKeyInput({ name: 'k', multiUser: true })).toMatchObject({
        multiUser: true,
      });
    });
  });
});
