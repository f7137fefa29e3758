import { GatewayErrorCode } from '@ai-gateway/core';
import { SAMPLE_RESUME, SAMPLE_RESUME_TEXT } from '../testing';
import { MAX_TEXT_CHARS } from '../task-input.validators';
import { readResumeSource, resumeSizeOf, resumeTextOf } from './resume-input';

describe(readResumeSource.name, () => {
  it('takes resume text, or a JSON Resume that passes the official schema', () => {
    expect(readResumeSource({ resumeText: 'Ada Lovelace' })).toEqual({
      resumeText: 'Ada Lovelace',
    });
    expect(readResumeSource({ resume: SAMPLE_RESUME })).toEqual({ resume: SAMPLE_RESUME });
  });

  it.each([
    ['neither', {}, 'input.resumeText', "'input.resumeText' is required"],
    [
      'both',
      { resumeText: 'cv', resume: SAMPLE_RESUME },
      'input.resume',
      'must not be given together',
    ],
    ['a resume that is a string', { resume: 'cv' }, 'input.resume', 'must be a JSON Resume object'],
    ['a resume that is a list', { resume: [] }, 'input.resume', 'must be a JSON Resume object'],
    [
      'a resume with a bad date',
      { resume: { work: [{ name: 'Hooli', startDate: '03/2019' }] } },
      'input.resume',
      'input.resume.work[0].startDate must be a date as YYYY, YYYY-MM or YYYY-MM-DD',
    ],
    ['an empty resume', { resume: { basics: {} } }, 'input.resume', 'has no resume content'],
    [
      'an oversized resume',
      { resume: { basics: { summary: 'x'.repeat(MAX_TEXT_CHARS) } } },
      'input.resume',
      `must be at most ${MAX_TEXT_CHARS} characters`,
    ],
  ])('rejects %s with INVALID_REQUEST on %s', (_case, input, param, message) => {
    expect(() => readResumeSource(input)).toThrow(
      expect.objectContaining({
        code: GatewayErrorCode.INVALID_REQUEST,
        param,
        message: expect.stringContaining(message) as string,
      }),
    );
  });
});

describe(resumeTextOf.name, () => {
  it('gives text as it is, and renders a JSON resume', () => {
    expect(resumeTextOf({ resumeText: 'Ada' })).toBe('Ada');
    expect(resumeTextOf({ resume: SAMPLE_RESUME })).toBe(SAMPLE_RESUME_TEXT);
  });
});

describe(resumeSizeOf.name, () => {
  it('counts the characters of the text, or of the JSON', () => {
    expect(resumeSizeOf({ resumeText: 'Ada' })).toBe(3);
    expect(resumeSizeOf({ resume: { basics: { name: 'Ada' } } })).toBe(
      '{"basics":{"name":"Ada"}}'.length,
    );
  });
});
