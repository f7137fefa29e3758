import type { JsonResume } from '../shared/json-resume';
import type {
  ExperienceJudgment,
  Importance,
  ScoreArea,
  ScoreJudgment,
  ScoreReason,
  ScoreSection,
  SeniorityFit,
  SkillLevel,
} from './score.output';

/** Share of `overall` each sub-score carries (they sum to 1). */
export const SCORE_WEIGHTS: Readonly<Record<ScoreArea, number>> = {
  keywords: 0.35,
  skills: 0.3,
  experience: 0.25,
  sections: 0.1,
};

/** A required keyword or skill counts twice as much as a preferred one. */
export const IMPORTANCE_WEIGHTS: Readonly<Record<Importance, number>> = {
  required: 2,
  preferred: 1,
};

/** Credit for a skill by how strongly the resume shows it. */
export const SKILL_LEVEL_CREDIT: Readonly<Record<SkillLevel, number>> = {
  strong: 1,
  partial: 0.5,
  none: 0,
};

/** Credit for seniority: at the level asked, above it (may not stay), below it. */
export const SENIORITY_CREDIT: Readonly<Record<SeniorityFit, number>> = {
  match: 1,
  above: 0.8,
  below: 0.4,
};

/** Experience sub-score: 60 % years against the requirement, 40 % seniority fit. */
export const EXPERIENCE_SPLIT = { years: 0.6, seniority: 0.4 } as const;

/** Points of the `sections` sub-score per section a resume should have (sum 100). */
export const SECTION_POINTS: Readonly<Record<ScoreSection, number>> = {
  contact: 20,
  summary: 20,
  experience: 30,
  education: 15,
  skills: 15,
};

/** Output of the `score` task. Every number is an integer from 0 to 100. */
export interface ScoreTaskOutput {
  /** Σ weight × sub-score, rounded. */
  overall: number;
  subScores: Record<ScoreArea, number>;
  weights: Record<ScoreArea, number>;
  /** Keywords of the job the resume shows, then those it lacks (the job's order). */
  matchedKeywords: string[];
  missingKeywords: string[];
  reasons: ScoreReason[];
}

/** Rounds half up, after removing float noise (0.35 × 71 = 24.849999…). */
function toInt(value: number): number {
  return Math.round(Number(value.toFixed(6)));
}

/** Σ weight × credit / Σ weight, as 0–100. */
function weightedShare(items: ReadonlyArray<{ weight: number; credit: number }>): number {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  if (total === 0) return 0;
  return toInt((100 * items.reduce((sum, item) => sum + item.weight * item.credit, 0)) / total);
}

/**
 * Years: the share of the required years the resume shows (capped at 1); when the job
 * names none, 1 with any relevant experience and 0.5 without.
 */
function experienceScore(experience: ExperienceJudgment): number {
  const { requiredYears, relevantYears, seniorityFit } = experience;
  const years =
    requiredYears !== null && requiredYears > 0
      ? Math.min(relevantYears / requiredYears, 1)
      : relevantYears > 0
        ? 1
        : 0.5;
  return toInt(
    100 *
      (EXPERIENCE_SPLIT.years * years +
        EXPERIENCE_SPLIT.seniority * SENIORITY_CREDIT[seniorityFit]),
  );
}

/**
 * The `score` numbers from the model's judgments:
 * - keywords: share of keyword weight found (required 2, preferred 1);
 * - skills: weighted mean of skill credit (strong 1, partial 0.5, none 0);
 * - experience: `EXPERIENCE_SPLIT` of years and seniority credit;
 * - sections: `SECTION_POINTS` of the sections present;
 * - overall: Σ `SCORE_WEIGHTS` × sub-score.
 * Each is rounded to an integer, and `overall` is computed from the rounded sub-scores,
 * so a caller can recompute it from what it is shown.
 */
export function scoreOf(
  judgment: ScoreJudgment,
  sections: readonly ScoreSection[],
): ScoreTaskOutput {
  const subScores: Record<ScoreArea, number> = {
    keywords: weightedShare(
      judgment.keywords.map((k) => ({
        weight: IMPORTANCE_WEIGHTS[k.importance],
        credit: k.found ? 1 : 0,
      })),
    ),
    skills: weightedShare(
      judgment.skills.map((s) => ({
        weight: IMPORTANCE_WEIGHTS[s.importance],
        credit: SKILL_LEVEL_CREDIT[s.level],
      })),
    ),
    experience: experienceScore(judgment.experience),
    sections: [...new Set(sections)].reduce((sum, section) => sum + SECTION_POINTS[section], 0),
  };
  const overall = toInt(
    (Object.keys(SCORE_WEIGHTS) as ScoreArea[]).reduce(
      (sum, area) => sum + SCORE_WEIGHTS[area] * subScores[area],
      0,
    ),
  );
  return {
    overall,
    subScores,
    weights: { ...SCORE_WEIGHTS },
    matchedKeywords: judgment.keywords.filter((k) => k.found).map((k) => k.keyword),
    missingKeywords: judgment.keywords.filter((k) => !k.found).map((k) => k.keyword),
    reasons: judgment.reasons,
  };
}

/**
 * The sections of a JSON Resume, read from the JSON itself (what the model said is used
 * only for text resumes, where nothing else knows).
 */
export function scoreSectionsOf(resume: JsonResume): ScoreSection[] {
  const b = resume.basics ?? {};
  const has = (list?: readonly unknown[]) => (list ?? []).length > 0;
  const present: Array<[ScoreSection, boolean]> = [
    ['contact', !!(b.email || b.phone || b.url || has(b.profiles))],
    ['summary', !!b.summary?.trim()],
    ['experience', has(resume.work) || has(resume.volunteer)],
    ['education', has(resume.education)],
    ['skills', has(resume.skills)],
  ];
  return present.filter(([, yes]) => yes).map(([section]) => section);
}
