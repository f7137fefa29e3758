import { GatewayErrorCode } from '@ai-gateway/core';
import { validateOptimizeInput } from './optimize.schema';

describe(validateOptimizeInput.name, () => {
  it('returns the typed input', () => {
    const input = { resumeText: 'Ada, analyst', jobDescription: 'Data engineer' };
    expect(validateOptimizeInput(input)).toEqual(input);
  });

  it.each([
    ['a null input', null, 'input'],
    ['a missing resumeText', { jobDescription: 'jd' }, 'input.resumeText'],
    ['a blank jobDescription', { resumeText: 'cv', jobDescription: '' }, 'input.jobDescription'],
    [
      'criteria, which only score takes',
      { resumeText: 'cv', jobDescription: 'jd', criteria: ['a'] },
      'input.criteria',
    ],
  ])('rejects %s with INVALID_REQUEST naming %s', (_case, input, param) => {
    expect(() => validateOptimizeInput(input)).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.INVALID_REQUEST, param }),
    );
  });
});
