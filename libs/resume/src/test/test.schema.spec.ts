import { GatewayErrorCode } from '@ai-gateway/core';
import { SAMPLE_RESUME } from '../testing';
import { validateTestInput } from './test.schema';

describe(validateTestInput.name, () => {
  const jobDescription = 'Senior TypeScript engineer';

  it('defaults to 8 questions of mixed difficulty', () => {
    expect(validateTestInput({ resumeText: 'cv', jobDescription })).toEqual({
      resumeText: 'cv',
      jobDescription,
      count: 8,
      difficulty: 'mixed',
    });
  });

  it('takes a JSON resume, a count from 1 to 20 and a difficulty', () => {
    expect(
      validateTestInput({ resume: SAMPLE_RESUME, jobDescription, count: 20, difficulty: 'hard' }),
    ).toEqual({ resume: SAMPLE_RESUME, jobDescription, count: 20, difficulty: 'hard' });
    expect(validateTestInput({ resumeText: 'cv', jobDescription, count: 1 }).count).toBe(1);
  });

  it('passes its own output again (a prepared input is validated before it runs)', () => {
    const valid = validateTestInput({ resumeText: 'cv', jobDescription });
    expect(validateTestInput(valid)).toEqual(valid);
  });

  it.each([
    ['an omitted input (the old probe took none)', undefined, 'input'],
    ['the old probe input', { models: ['openai/gpt-4o-mini'] }, 'input.models'],
    ['no job description', { resumeText: 'cv' }, 'input.jobDescription'],
    ['no resume', { jobDescription }, 'input.resumeText'],
    ['a count of 0', { resumeText: 'cv', jobDescription, count: 0 }, 'input.count'],
    ['a count of 21', { resumeText: 'cv', jobDescription, count: 21 }, 'input.count'],
    ['a fractional count', { resumeText: 'cv', jobDescription, count: 2.5 }, 'input.count'],
    ['a count as a string', { resumeText: 'cv', jobDescription, count: '5' }, 'input.count'],
    [
      'an unknown difficulty',
      { resumeText: 'cv', jobDescription, difficulty: 'expert' },
      'input.difficulty',
    ],
  ])('rejects %s with INVALID_REQUEST naming %s', (_case, input, param) => {
    expect(() => validateTestInput(input)).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.INVALID_REQUEST, param }),
    );
  });
});
