import { GatewayErrorCode } from '@ai-gateway/core';
import { SAMPLE_RESUME } from '../testing';
import { validateScoreInput } from './score.schema';

describe(validateScoreInput.name, () => {
  const jobDescription = 'Senior TypeScript engineer';

  it('takes resume text or a JSON resume, with the job description', () => {
    const text = { resumeText: 'Ada, 5 years of TypeScript', jobDescription };
    expect(validateScoreInput(text)).toEqual(text);
    const json = { resume: SAMPLE_RESUME, jobDescription };
    expect(validateScoreInput(json)).toEqual(json);
  });

  it.each([
    ['a missing jobDescription', { resumeText: 'cv' }, 'input.jobDescription'],
    ['a blank jobDescription', { resumeText: 'cv', jobDescription: ' ' }, 'input.jobDescription'],
    ['no resume', { jobDescription }, 'input.resumeText'],
    [
      'both resume forms',
      { resumeText: 'cv', resume: SAMPLE_RESUME, jobDescription },
      'input.resume',
    ],
    [
      'an invalid JSON resume',
      { resume: { basics: { email: 'nope' } }, jobDescription },
      'input.resume',
    ],
    [
      'criteria (no longer an input)',
      { resumeText: 'cv', jobDescription, criteria: ['a'] },
      'input.criteria',
    ],
    ['an unknown field', { resumeText: 'cv', jobDesc: 'jd' }, 'input.jobDesc'],
  ])('rejects %s with INVALID_REQUEST naming %s', (_case, input, param) => {
    expect(() => validateScoreInput(input)).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.INVALID_REQUEST, param }),
    );
  });
});
