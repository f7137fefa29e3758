import { GatewayErrorCode } from '@ai-gateway/core';
import { validateScoreInput } from './score.schema';

describe(validateScoreInput.name, () => {
  const valid = { resumeText: 'Ada, 5 years of TypeScript', jobDescription: 'Senior TS engineer' };

  it('returns the typed input, criteria only when given', () => {
    expect(validateScoreInput(valid)).toEqual(valid);
    expect(validateScoreInput({ ...valid, criteria: ['skills', 'seniority'] })).toEqual({
      ...valid,
      criteria: ['skills', 'seniority'],
    });
  });

  it.each([
    ['a missing jobDescription', { resumeText: 'cv' }, 'input.jobDescription'],
    ['a missing resumeText', { jobDescription: 'jd' }, 'input.resumeText'],
    ['criteria that is not an array', { ...valid, criteria: 'skills' }, 'input.criteria'],
    ['empty criteria', { ...valid, criteria: [] }, 'input.criteria'],
    ['a blank criterion', { ...valid, criteria: ['skills', ' '] }, 'input.criteria[1]'],
    ['a non-string criterion', { ...valid, criteria: [7] }, 'input.criteria[0]'],
    ['a too long criterion', { ...valid, criteria: ['x'.repeat(201)] }, 'input.criteria[0]'],
    [
      'too many criteria',
      { ...valid, criteria: Array.from({ length: 13 }, (_, i) => `c${i}`) },
      'input.criteria',
    ],
    ['an unknown field', { ...valid, jobDesc: 'jd' }, 'input.jobDesc'],
  ])('rejects %s with INVALID_REQUEST naming %s', (_case, input, param) => {
    expect(() => validateScoreInput(input)).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.INVALID_REQUEST, param }),
    );
  });
});
