import type { JsonResume } from '../shared/json-resume';
import { renderResumeText } from '../shared/resume-text';
import {
  INVALID_JSON_ANSWER,
  PACKAGE_RESUMES,
  PARSE_ANSWER,
  PARSE_ANSWER_BAD_DATE,
  PARSE_ANSWER_INVENTED_EMAIL,
  parseAnswerOf,
  SAMPLE_RESUME_TEXT,
} from '../testing';
import { PARSE_OUTPUT } from './parse.output';

const input = { resumeText: SAMPLE_RESUME_TEXT };
const problemsOf = (answer: unknown, resumeText = SAMPLE_RESUME_TEXT): string[] => {
  const check = PARSE_OUTPUT.check(answer, { resumeText });
  return check.ok ? [] : check.problems;
};

describe('PARSE_OUTPUT', () => {
  it('accepts the realistic answer, keeping a confidence for each filled section', () => {
    const check = PARSE_OUTPUT.check(JSON.parse(PARSE_ANSWER), input);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.value.resume.basics?.name).toBe('Richard Hendriks');
    expect(check.value.resume.work?.[0]).toMatchObject({
      name: 'Pied Piper',
      startDate: '2013-12',
    });
    expect(Object.keys(check.value.confidence)).toHaveLength(11);
  });

  it.each(Object.entries(PACKAGE_RESUMES))(
    'accepts a faithful parse of the package resume "%s" from its text',
    (_name, resume) => {
      expect(problemsOf(parseAnswerOf(resume), renderResumeText(resume))).toEqual([]);
    },
  );

  it('is never given invalid JSON: the service rejects it before the check', () => {
    expect(() => JSON.parse(INVALID_JSON_ANSWER) as unknown).toThrow(SyntaxError);
  });

  it('reports a resume that fails @jsonresume/schema', () => {
    expect(problemsOf(JSON.parse(PARSE_ANSWER_BAD_DATE))).toEqual([
      'resume.work[0].startDate must be a date as YYYY, YYYY-MM or YYYY-MM-DD',
    ]);
  });

  it('reports a missing resume, an empty one, and a missing confidence object', () => {
    expect(problemsOf({ confidence: {} })).toEqual(['resume must be a JSON object']);
    expect(problemsOf({ resume: { work: [] }, confidence: {} })).toEqual([
      'resume has no section filled in',
    ]);
    expect(problemsOf({ resume: { basics: { name: 'Richard Hendriks' } } })).toEqual([
      'confidence must be an object with a number per filled section',
    ]);
  });

  it('needs a confidence from 0 to 1 for every filled section, and drops the others', () => {
    const answer = {
      resume: { basics: { name: 'Richard Hendriks' }, work: [{ name: 'Pied Piper' }], skills: [] },
      confidence: { basics: 1.2, skills: 0.5, awards: 0.1 },
    };
    expect(problemsOf(answer)).toEqual([
      'confidence.basics must be a number from 0 to 1',
      'confidence.work must be a number from 0 to 1',
    ]);
    const fixed = { ...answer, confidence: { basics: 1, work: 0, skills: 0.5 } };
    const check = PARSE_OUTPUT.check(fixed, input);
    expect(check.ok && check.value.confidence).toEqual({ basics: 1, work: 0 });
  });

  it('reports an email, phone or employer that is not in the text', () => {
    expect(problemsOf(JSON.parse(PARSE_ANSWER_INVENTED_EMAIL))).toEqual([
      'basics.email "richard@piedpiper.example.com" does not appear in the resume',
    ]);
    const answer = JSON.parse(PARSE_ANSWER) as { resume: JsonResume };
    answer.resume.basics!.phone = '(912) 555-0000';
    answer.resume.work!.push({ name: 'Hooli XYZ', position: 'Engineer' });
    expect(problemsOf(answer)).toEqual([
      'basics.phone "(912) 555-0000" does not appear in the resume',
      'work[1].name "Hooli XYZ" does not appear in the resume',
    ]);
  });

  it('tolerates the text’s own typography for contact details', () => {
    const answer = JSON.parse(PARSE_ANSWER) as { resume: JsonResume };
    answer.resume.basics!.phone = '+1 912-555-4321';
    answer.resume.basics!.email = 'Richard.Hendriks@mail.com';
    expect(problemsOf(answer)).toEqual([]);
  });

  it('sends a closed schema: resume and confidence, nothing else', () => {
    expect(PARSE_OUTPUT.name).toMatch(/^[a-z0-9_]{1,64}$/);
    expect(PARSE_OUTPUT.jsonSchema).toMatchObject({
      type: 'object',
      required: ['resume', 'confidence'],
      additionalProperties: false,
      properties: { confidence: { additionalProperties: false } },
    });
  });
});
