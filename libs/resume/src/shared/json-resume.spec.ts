import { PACKAGE_RESUMES } from '../testing';
import { jsonResumeProblems, sectionsPresent } from './json-resume';

describe(jsonResumeProblems.name, () => {
  it('accepts every sample resume of @jsonresume/schema', () => {
    for (const resume of Object.values(PACKAGE_RESUMES)) {
      expect(jsonResumeProblems(resume)).toEqual([]);
    }
  });

  it('names each failing path under the given root, dates in plain words', () => {
    expect(
      jsonResumeProblems(
        { basics: { email: 'not an email' }, work: [{ name: 'Hooli', startDate: 'March 2019' }] },
        'input.resume',
      ),
    ).toEqual([
      'input.resume.basics.email does not conform to the "email" format',
      'input.resume.work[0].startDate must be a date as YYYY, YYYY-MM or YYYY-MM-DD',
    ]);
  });

  it('rejects a value that is not an object, and caps a long list', () => {
    expect(jsonResumeProblems([])).toEqual(['resume is not of a type(s) object']);
    const work = Array.from({ length: 30 }, () => ({ startDate: 'soon' }));
    const problems = jsonResumeProblems({ work });
    expect(problems).toHaveLength(21);
    expect(problems[20]).toBe('and 10 more');
  });
});

describe(sectionsPresent.name, () => {
  it('lists filled sections only: no empty lists, no empty basics', () => {
    expect(sectionsPresent({ basics: {}, work: [], skills: [{ name: 'Go' }] })).toEqual(['skills']);
    expect(sectionsPresent(PACKAGE_RESUMES.sample)).toEqual([
      'basics',
      'work',
      'volunteer',
      'education',
      'awards',
      'publications',
      'skills',
      'languages',
      'interests',
      'references',
      'projects',
    ]);
  });
});
