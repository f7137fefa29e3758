import { SAMPLE_RESUME, SCORE_ANSWER, SCORE_EXPECTED, SAMPLE_RESUME_TEXT } from '../testing';
import { SCORE_WEIGHTS, scoreOf, scoreSectionsOf } from './score.calculator';
import type { ExperienceJudgment, ScoreJudgment } from './score.output';
import { SCORE_OUTPUT } from './score.output';

const judgment = (overrides: Partial<ScoreJudgment> = {}): ScoreJudgment => ({
  keywords: [{ keyword: 'Go', importance: 'required', found: true, evidence: 'Go' }],
  skills: [{ skill: 'Go', importance: 'required', level: 'strong', evidence: 'Go' }],
  experience: { requiredYears: 2, relevantYears: 2, seniorityFit: 'match', evidence: [] },
  sectionsPresent: [],
  reasons: [],
  ...overrides,
});
const experience = (e: Partial<ExperienceJudgment>) =>
  scoreOf(judgment({ experience: { ...judgment().experience, ...e } }), []).subScores.experience;

describe(scoreOf.name, () => {
  it('computes the fixture answer’s numbers exactly', () => {
    const check = SCORE_OUTPUT.check(JSON.parse(SCORE_ANSWER), {
      resumeText: SAMPLE_RESUME_TEXT,
      jobDescription: 'jd',
    });
    if (!check.ok) throw new Error(check.problems.join('\n'));
    expect(scoreOf(check.value, check.value.sectionsPresent)).toEqual({
      ...SCORE_EXPECTED,
      reasons: check.value.reasons,
    });
  });

  it('weights weigh 0.35 / 0.30 / 0.25 / 0.10 and sum to 1', () => {
    expect(SCORE_WEIGHTS).toEqual({ keywords: 0.35, skills: 0.3, experience: 0.25, sections: 0.1 });
    expect(Object.values(SCORE_WEIGHTS).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 10);
  });

  it('keywords: share of weight found, required counting twice', () => {
    const score = scoreOf(
      judgment({
        keywords: [
          { keyword: 'Go', importance: 'required', found: true, evidence: 'Go' },
          { keyword: 'Rust', importance: 'required', found: false, evidence: '' },
          { keyword: 'gRPC', importance: 'preferred', found: true, evidence: 'gRPC' },
        ],
      }),
      [],
    );
    expect(score.subScores.keywords).toBe(60); // (2 + 1) / 5
    expect(score.matchedKeywords).toEqual(['Go', 'gRPC']);
    expect(score.missingKeywords).toEqual(['Rust']);
  });

  it('skills: strong 1, partial 0.5, none 0, weighted by importance', () => {
    const score = scoreOf(
      judgment({
        skills: [
          { skill: 'Go', importance: 'required', level: 'partial', evidence: 'Go' },
          { skill: 'SQL', importance: 'preferred', level: 'strong', evidence: 'SQL' },
          { skill: 'K8s', importance: 'preferred', level: 'none', evidence: '' },
        ],
      }),
      [],
    );
    expect(score.subScores.skills).toBe(50); // (2 × 0.5 + 1 × 1 + 0) / 4
  });

  it.each([
    [{ requiredYears: 5, relevantYears: 10, seniorityFit: 'match' as const }, 100],
    [{ requiredYears: 5, relevantYears: 10, seniorityFit: 'above' as const }, 92],
    [{ requiredYears: 4, relevantYears: 1, seniorityFit: 'below' as const }, 31],
    [{ requiredYears: 5, relevantYears: 0, seniorityFit: 'below' as const }, 16],
    [{ requiredYears: null, relevantYears: 3, seniorityFit: 'match' as const }, 100],
    [{ requiredYears: null, relevantYears: 0, seniorityFit: 'below' as const }, 46],
    [{ requiredYears: 0, relevantYears: 0, seniorityFit: 'match' as const }, 70],
  ])('experience %o scores %i', (e, expected) => {
    expect(experience(e)).toBe(expected);
  });

  it('sections: points per section present, each counted once', () => {
    const points = (sections: Parameters<typeof scoreOf>[1]) =>
      scoreOf(judgment(), sections).subScores.sections;
    expect(points([])).toBe(0);
    expect(points(['experience', 'skills'])).toBe(45);
    expect(points(['contact', 'summary', 'experience', 'education', 'skills', 'skills'])).toBe(100);
  });

  it('overall is the weighted sum of the rounded sub-scores, rounded half up', () => {
    // keywords 100, skills 100, experience 100, sections 35 → 90 + 3.5 = 93.5 → 94
    const score = scoreOf(judgment(), ['contact', 'education']);
    expect(score.subScores).toEqual({ keywords: 100, skills: 100, experience: 100, sections: 35 });
    expect(score.overall).toBe(94);
    expect(score.weights).toEqual(SCORE_WEIGHTS);
  });
});

describe(scoreSectionsOf.name, () => {
  it('reads the sections from a JSON resume', () => {
    expect(scoreSectionsOf(SAMPLE_RESUME)).toEqual([
      'contact',
      'summary',
      'experience',
      'education',
      'skills',
    ]);
    expect(scoreSectionsOf({ basics: { name: 'Ada', summary: ' ' }, volunteer: [{}] })).toEqual([
      'experience',
    ]);
  });
});
