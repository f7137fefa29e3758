import { GatewayErrorCode } from '@ai-gateway/core';
import { MAX_TEXT_CHARS } from '../task-input.validators';
import { validateParseInput } from './parse.schema';

describe(validateParseInput.name, () => {
  it('returns the typed input', () => {
    expect(validateParseInput({ resumeText: 'Ada Lovelace, analyst' })).toEqual({
      resumeText: 'Ada Lovelace, analyst',
    });
  });

  it.each([
    ['a non-object input', 'text', 'input'],
    ['an array input', [], 'input'],
    ['a missing resumeText', {}, 'input.resumeText'],
    ['a non-string resumeText', { resumeText: 42 }, 'input.resumeText'],
    ['a blank resumeText', { resumeText: ' \n ' }, 'input.resumeText'],
    ['an over-long resumeText', { resumeText: 'x'.repeat(MAX_TEXT_CHARS + 1) }, 'input.resumeText'],
    ['an unknown field', { resumeText: 'cv', resume: 'cv' }, 'input.resume'],
  ])('rejects %s with INVALID_REQUEST naming %s', (_case, input, param) => {
    expect(() => validateParseInput(input)).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.INVALID_REQUEST, param }),
    );
  });

  it('says which field is wrong in the message', () => {
    expect(() => validateParseInput({ resumeText: '' })).toThrow(
      "Invalid task input: 'input.resumeText' must not be empty",
    );
  });
});
