import { assertModelsAllowed, modelAllowed } from './model-scope';

describe(modelAllowed.name, () => {
  it.each([
    [['fast'], 'fast', true],
    [['fast'], 'faster', false],
    [['openai/*'], 'openai/gpt-4o', true],
    [['openai/*'], 'anthropic/claude', false],
    [['*'], 'anything', true],
    [[], 'fast', false],
  ])('%j allows %s: %s', (patterns, name, expected) => {
    expect(modelAllowed(patterns, name)).toBe(expected);
  });
});

describe(assertModelsAllowed.name, () => {
  it('lets everything through without a scope', () => {
    expect(() => assertModelsAllowed(undefined, ['x'])).not.toThrow();
  });

  it('refuses the first name outside the scope with model_not_allowed', () => {
    expect(() => assertModelsAllowed(['fast'], ['fast', 'slow'])).toThrow(
      expect.objectContaining({
        code: 'model_not_allowed',
        message: expect.stringContaining("'slow'"),
      }),
    );
  });
});
