import {
  OPTIMIZE_ANSWER,
  OPTIMIZE_ANSWER_INVENTED_EMPLOYER,
  SAMPLE_RESUME,
  SAMPLE_RESUME_TEXT,
} from '../testing';
import type { JsonResume } from '../shared/json-resume';
import { OPTIMIZE_OUTPUT } from './optimize.output';

const input = { resumeText: SAMPLE_RESUME_TEXT, jobDescription: 'jd' };
const valid = () => JSON.parse(OPTIMIZE_ANSWER) as { resume: JsonResume; changes: unknown[] };
const problemsOf = (answer: unknown, on: Parameters<typeof OPTIMIZE_OUTPUT.check>[1] = input) => {
  const check = OPTIMIZE_OUTPUT.check(answer, on);
  return check.ok ? [] : check.problems;
};

describe('OPTIMIZE_OUTPUT', () => {
  it('accepts the realistic rewrite, from the text and from the JSON resume', () => {
    expect(problemsOf(valid())).toEqual([]);
    expect(problemsOf(valid(), { resume: SAMPLE_RESUME, jobDescription: 'jd' })).toEqual([]);
    const check = OPTIMIZE_OUTPUT.check(valid(), input);
    expect(check.ok && check.value.changes).toHaveLength(4);
  });

  it('rejects the answer that invents an employer, with its title and dates', () => {
    expect(problemsOf(JSON.parse(OPTIMIZE_ANSWER_INVENTED_EMPLOYER))).toEqual([
      'work[0].name "Globex Corporation" is not in the original resume (never invent employers)',
      'work[0].position "Senior Compression Engineer" is not in the original resume (never invent job titles)',
      'work[0].startDate "2015-01" is not in the original resume (never invent dates)',
      'work[0].endDate "2017-06" is not in the original resume (never invent dates)',
    ]);
  });

  it('reports a resume that fails @jsonresume/schema, or is empty', () => {
    const answer = valid();
    answer.resume.basics!.url = 'richardhendricks';
    answer.resume.projects![0].startDate = 'Aug 2016';
    // "Aug 2016" is in the text, so only the schema objects to it.
    expect(problemsOf(answer)).toEqual([
      'resume.basics.url does not conform to the "uri" format',
      'resume.projects[0].startDate must be a date as YYYY, YYYY-MM or YYYY-MM-DD',
    ]);
    expect(problemsOf({ ...valid(), resume: {} })).toEqual(['resume has no section filled in']);
  });

  it('needs at least one change, each with section, description and reason', () => {
    expect(problemsOf({ ...valid(), changes: [] })).toEqual([
      'changes must have 1 to 30 items (it has 0)',
    ]);
    expect(problemsOf({ ...valid(), changes: [{ section: 'skills', description: '' }] })).toEqual([
      'changes[0].description must not be empty',
      'changes[0].reason must be a string',
    ]);
    expect(problemsOf({ changes: valid().changes })).toEqual(['resume must be an object']);
  });

  it('sends a closed schema', () => {
    expect(OPTIMIZE_OUTPUT.jsonSchema).toMatchObject({
      required: ['resume', 'changes'],
      additionalProperties: false,
      properties: { changes: { items: { additionalProperties: false } } },
    });
  });
});
