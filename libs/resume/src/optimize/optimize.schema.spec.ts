import { GatewayErrorCode } from '@ai-gateway/core';
import { SAMPLE_RESUME } from '../testing';
import { validateOptimizeInput } from './optimize.schema';

describe(validateOptimizeInput.name, () => {
  it('takes resume text or a JSON resume, with the job description', () => {
    const text = { resumeText: 'Ada, analyst', jobDescription: 'Data engineer' };
    expect(validateOptimizeInput(text)).toEqual(text);
    const json = { resume: SAMPLE_RESUME, jobDescription: 'Data engineer' };
    expect(validateOptimizeInput(json)).toEqual(json);
  });

  it.each([
    ['a null input', null, 'input'],
    ['no resume', { jobDescription: 'jd' }, 'input.resumeText'],
    ['a blank jobDescription', { resumeText: 'cv', jobDescription: '' }, 'input.jobDescription'],
    [
      'a JSON resume with a bad URL',
      { resume: { basics: { name: 'Ada', url: 'not a url' } }, jobDescription: 'jd' },
      'input.resume',
    ],
    [
      'count, which only test takes',
      { resumeText: 'cv', jobDescription: 'jd', count: 3 },
      'input.count',
    ],
  ])('rejects %s with INVALID_REQUEST naming %s', (_case, input, param) => {
    expect(() => validateOptimizeInput(input)).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.INVALID_REQUEST, param }),
    );
  });
});
