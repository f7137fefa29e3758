import { SCORE_ANSWER, SAMPLE_RESUME, SAMPLE_RESUME_TEXT } from '../testing';
import { SCORE_OUTPUT } from './score.output';

const input = { resumeText: SAMPLE_RESUME_TEXT, jobDescription: 'jd' };
type Item = Record<string, unknown>;
/** The fixture answer, loosely typed so a test can break any part of it. */
const valid = () =>
  JSON.parse(SCORE_ANSWER) as {
    keywords: Item[];
    skills: Item[];
    experience: Item & { evidence: string[] };
    sectionsPresent: string[];
    reasons: Item[];
  };
const problemsOf = (answer: unknown, on: Parameters<typeof SCORE_OUTPUT.check>[1] = input) => {
  const check = SCORE_OUTPUT.check(answer, on);
  return check.ok ? [] : check.problems;
};

describe('SCORE_OUTPUT', () => {
  it('accepts the realistic answer, on the text and on the same resume as JSON', () => {
    expect(problemsOf(valid())).toEqual([]);
    expect(problemsOf(valid(), { resume: SAMPLE_RESUME, jobDescription: 'jd' })).toEqual([]);
    const check = SCORE_OUTPUT.check(valid(), input);
    expect(check.ok && check.value.experience).toEqual({
      requiredYears: 5,
      relevantYears: 1,
      seniorityFit: 'below',
      evidence: ['CEO/President at Pied Piper (Palo Alto, CA)', 'Dec 2013 – Dec 2014'],
    });
  });

  it('reports every evidence quote that is not in the resume', () => {
    const answer = valid();
    answer.keywords[0].evidence = 'a proprietary C++ compression library';
    answer.skills[0].evidence = 'Invented middle-out compression at Hooli';
    answer.experience.evidence[0] = 'Ten years at Pied Piper';
    answer.reasons[0].evidence = 'Led a team of 40 engineers';
    expect(problemsOf(answer)).toEqual([
      'keywords[0].evidence "a proprietary C++ compression library" does not appear in the resume',
      'skills[0].evidence "Invented middle-out compression at Hooli" does not appear in the resume',
      'experience.evidence[0] "Ten years at Pied Piper" does not appear in the resume',
      'reasons[0].evidence "Led a team of 40 engineers" does not appear in the resume',
    ]);
  });

  it('needs a quote for a found keyword and for a strong or partial skill', () => {
    const answer = valid();
    answer.keywords[0].evidence = '';
    answer.skills[3].evidence = ' ';
    expect(problemsOf(answer)).toEqual([
      'keywords[0].evidence must quote the resume',
      'skills[3].evidence must quote the resume',
    ]);
  });

  it('ignores the evidence of what was not found', () => {
    const answer = valid();
    answer.keywords[2].evidence = 'anything at all';
    answer.skills[1].evidence = 'anything at all';
    expect(problemsOf(answer)).toEqual([]);
    const check = SCORE_OUTPUT.check(answer, input);
    expect(check.ok && [check.value.keywords[2].evidence, check.value.skills[1].evidence]).toEqual([
      '',
      '',
    ]);
  });

  it('reports a keyword or skill listed twice', () => {
    const answer = valid();
    answer.keywords.push({ ...answer.keywords[3], keyword: 'javascript' });
    expect(problemsOf(answer)).toEqual([
      'keywords[9].keyword "javascript" is listed twice in keywords',
    ]);
  });

  it('reports values out of their enums and ranges, and missing parts', () => {
    const answer = valid();
    answer.keywords[0].importance = 'nice';
    answer.skills[0].level = 'expert';
    answer.experience.relevantYears = -1;
    answer.experience.seniorityFit = 'senior';
    answer.reasons[0].area = 'culture';
    answer.sectionsPresent = ['contact', 'hobbies'];
    delete answer.keywords[1].found;
    expect(problemsOf(answer)).toEqual([
      'keywords[0].importance must be one of required, preferred',
      'keywords[1].found must be true or false',
      'skills[0].level must be one of strong, partial, none',
      'experience.relevantYears must be a number from 0 to 60',
      'experience.seniorityFit must be one of below, match, above',
      'sectionsPresent[1] must be one of contact, summary, experience, education, skills',
      'reasons[0].area must be one of keywords, skills, experience, sections',
    ]);
    expect(problemsOf({})).toEqual([
      'keywords must be an array',
      'skills must be an array',
      'experience must be an object',
      'experience.relevantYears must be a number from 0 to 60',
      'experience.seniorityFit must be one of below, match, above',
      'experience.evidence must be an array',
      'sectionsPresent must be an array',
      'reasons must be an array',
    ]);
  });

  it('takes a missing or null requiredYears as "none named"', () => {
    const answer = valid();
    delete answer.experience.requiredYears;
    const check = SCORE_OUTPUT.check(answer, input);
    expect(check.ok && check.value.experience.requiredYears).toBeNull();
    answer.experience.requiredYears = null;
    expect(problemsOf(answer)).toEqual([]);
  });

  it('asks for judgments, never a score, in a closed schema', () => {
    const schema = JSON.stringify(SCORE_OUTPUT.jsonSchema);
    expect(schema).not.toMatch(/"(overall|score)"/);
    expect(SCORE_OUTPUT.jsonSchema).toMatchObject({
      additionalProperties: false,
      required: ['keywords', 'skills', 'experience', 'sectionsPresent', 'reasons'],
    });
  });
});
