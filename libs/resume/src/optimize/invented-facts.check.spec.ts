import type { JsonResume } from '../shared/json-resume';
import { SAMPLE_RESUME, SAMPLE_RESUME_TEXT } from '../testing';
import { inventedFacts } from './invented-facts.check';

const text = { resumeText: SAMPLE_RESUME_TEXT };
const json = { resume: SAMPLE_RESUME };

/** The sample with one entry of one section replaced by `entry`. */
function withEntry(section: keyof JsonResume, entry: Record<string, unknown>): JsonResume {
  const list = (SAMPLE_RESUME[section] as Record<string, unknown>[]) ?? [];
  return { ...SAMPLE_RESUME, [section]: [{ ...list[0], ...entry }] };
}

describe(inventedFacts.name, () => {
  it('accepts the input resume itself, against its text and against its JSON', () => {
    expect(inventedFacts(SAMPLE_RESUME, text)).toEqual([]);
    expect(inventedFacts(SAMPLE_RESUME, json)).toEqual([]);
  });

  it.each([
    ['an employer', 'work', { name: 'Initech' }, 'work[0].name "Initech"', 'employers'],
    [
      'a title',
      'work',
      { position: 'Chief Technology Officer' },
      'work[0].position "Chief Technology Officer"',
      'job titles',
    ],
    [
      'a degree',
      'education',
      { studyType: 'Master of Science' },
      'education[0].studyType "Master of Science"',
      'degrees',
    ],
    [
      'an institution',
      'education',
      { institution: 'Stanford University' },
      'education[0].institution "Stanford University"',
      'institutions',
    ],
    ['a work date', 'work', { startDate: '2012-06' }, 'work[0].startDate "2012-06"', 'dates'],
    ['an education date', 'education', { endDate: '2015' }, 'education[0].endDate "2015"', 'dates'],
    [
      'a volunteer date',
      'volunteer',
      { endDate: '2013-05-01' },
      'volunteer[0].endDate "2013-05-01"',
      'dates',
    ],
    [
      'a project date',
      'projects',
      { startDate: '2017-08' },
      'projects[0].startDate "2017-08"',
      'dates',
    ],
    [
      'a certificate date',
      'certificates',
      { name: 'CKA', date: '2019-03' },
      'certificates[0].date "2019-03"',
      'dates',
    ],
    ['an award date', 'awards', { date: '2015-11' }, 'awards[0].date "2015-11"', 'dates'],
  ] as const)('catches %s that the input did not have', (_kind, section, entry, where, kind) => {
    const expected = [`${where} is not in the original resume (never invent ${kind})`];
    expect(inventedFacts(withEntry(section, entry), text)).toEqual(expected);
    expect(inventedFacts(withEntry(section, entry), json)).toEqual(expected);
  });

  it('checks against what the input holds: its text, or its JSON values of that kind', () => {
    // The sample's summary says "he worked for Hooli": the text vouches for it, while the
    // JSON lists no such employer.
    const rewritten = withEntry('work', { name: 'Hooli' });
    expect(inventedFacts(rewritten, text)).toEqual([]);
    expect(inventedFacts(rewritten, json)).toEqual([
      'work[0].name "Hooli" is not in the original resume (never invent employers)',
    ]);
  });

  it('allows the same facts in another typography, and dates stated less precisely', () => {
    const rewritten = {
      work: [
        { name: 'PIED PIPER', position: 'CEO / President', startDate: '2013-12', endDate: '2014' },
      ],
      education: [
        { institution: 'university of oklahoma', studyType: 'Bachelor', startDate: '2011-06-15' },
      ],
    };
    expect(inventedFacts(rewritten, text)).toEqual([]);
    expect(inventedFacts(rewritten, json)).toEqual([]);
  });

  it('against JSON, compares each kind with its own kind and a month with a month', () => {
    // "Pied Piper" is an employer of the input, not a degree; the input's year-only date
    // does not vouch for a month.
    const input = { resume: { work: [{ name: 'Pied Piper', startDate: '2013' }] } };
    expect(
      inventedFacts(
        {
          education: [{ studyType: 'Pied Piper' }],
          work: [{ name: 'Pied Piper', startDate: '2013-12' }],
        },
        input,
      ),
    ).toEqual([
      'education[0].studyType "Pied Piper" is not in the original resume (never invent degrees)',
      'work[0].startDate "2013-12" is not in the original resume (never invent dates)',
    ]);
  });

  it('reports every invented fact of an entry, and survives answers of the wrong shape', () => {
    const rewritten = {
      work: [
        { name: 'Globex', position: 'CTO', startDate: '2016-01', endDate: '2018-02' },
        'junk',
        null,
      ],
      education: 'none',
    };
    expect(inventedFacts(rewritten, text)).toHaveLength(4);
  });
});
