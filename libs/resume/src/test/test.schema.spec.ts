import { GatewayErrorCode } from '@ai-gateway/core';
import { MAX_PROBED_MODELS, validateTestInput } from './test.schema';

describe(validateTestInput.name, () => {
  it('accepts an omitted input and a list of models', () => {
    expect(validateTestInput(undefined)).toEqual({});
    expect(validateTestInput({})).toEqual({});
    expect(validateTestInput({ models: ['openai/gpt-4o-mini', 'resume-default'] })).toEqual({
      models: ['openai/gpt-4o-mini', 'resume-default'],
    });
  });

  it.each([
    ['a string input', 'openai/gpt-4o-mini', 'input'],
    ['models that is not an array', { models: 'openai/gpt-4o-mini' }, 'input.models'],
    ['a blank model', { models: [''] }, 'input.models[0]'],
    ['a model name over 256 characters', { models: ['m'.repeat(257)] }, 'input.models[0]'],
    [
      'more models than the fan-out bound',
      { models: Array.from({ length: MAX_PROBED_MODELS + 1 }, (_, i) => `p/m${i}`) },
      'input.models',
    ],
    ['an unknown field', { model: 'openai/gpt-4o-mini' }, 'input.model'],
  ])('rejects %s with INVALID_REQUEST naming %s', (_case, input, param) => {
    expect(() => validateTestInput(input)).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.INVALID_REQUEST, param }),
    );
  });
});
