import { AnswerReader } from '../shared/answer-reader';
import { resumeTextOf } from '../shared/resume-input';
import { normalizeForMatch, ResumeTextIndex } from '../shared/text-match';
import type { OutputCheck, TaskOutputSpec } from '../structured/task-output-spec';
import type { ScoreTaskInput } from './score.schema';

export const IMPORTANCES = ['required', 'preferred'] as const;
export type Importance = (typeof IMPORTANCES)[number];

export const SKILL_LEVELS = ['strong', 'partial', 'none'] as const;
export type SkillLevel = (typeof SKILL_LEVELS)[number];

export const SENIORITY_FITS = ['below', 'match', 'above'] as const;
export type SeniorityFit = (typeof SENIORITY_FITS)[number];

export const SCORE_AREAS = ['keywords', 'skills', 'experience', 'sections'] as const;
export type ScoreArea = (typeof SCORE_AREAS)[number];

/** Resume sections the `sections` sub-score looks for. */
export const SCORE_SECTIONS = ['contact', 'summary', 'experience', 'education', 'skills'] as const;
export type ScoreSection = (typeof SCORE_SECTIONS)[number];

export interface KeywordJudgment {
  keyword: string;
  importance: Importance;
  found: boolean;
  /** Quote from the resume; empty when not found. */
  evidence: string;
}

export interface SkillJudgment {
  skill: string;
  importance: Importance;
  level: SkillLevel;
  /** Quote from the resume; empty when the level is `none`. */
  evidence: string;
}

export interface ExperienceJudgment {
  /** Years the job asks for; null when it names none. */
  requiredYears: number | null;
  relevantYears: number;
  seniorityFit: SeniorityFit;
  evidence: string[];
}

export interface ScoreReason {
  area: ScoreArea;
  reason: string;
  /** Quote from the resume; empty when the reason is an absence. */
  evidence: string;
}

/** What the model judges for `score`; the numbers are computed from it in code. */
export interface ScoreJudgment {
  keywords: KeywordJudgment[];
  skills: SkillJudgment[];
  experience: ExperienceJudgment;
  sectionsPresent: ScoreSection[];
  reasons: ScoreReason[];
}

const MAX_KEYWORDS = 40;
const MAX_SKILLS = 30;
const MAX_REASONS = 12;
const MAX_YEARS = 60;
const MAX_EVIDENCE = 6;
const QUOTE = { type: 'string', description: 'Copied word for word from the resume; "" if none.' };

const STRING = { type: 'string' };
const choice = (values: readonly string[]) => ({ type: 'string', enum: [...values] });
const closedObject = (properties: Record<string, unknown>, required = Object.keys(properties)) => ({
  type: 'object',
  properties,
  required,
  additionalProperties: false,
});

/**
 * The `score` answer: judgments only (which keywords and skills the resume shows, how
 * much relevant experience, which sections it has, why), each backed by a quote that
 * must appear in the resume. The arithmetic is `scoreOf`'s, never the model's.
 */
export const SCORE_OUTPUT: TaskOutputSpec<ScoreTaskInput, ScoreJudgment> = {
  name: 'resume_score',
  jsonSchema: closedObject({
    keywords: {
      type: 'array',
      description: `1 to ${MAX_KEYWORDS} keywords of the job.`,
      minItems: 1,
      items: closedObject({
        keyword: STRING,
        importance: choice(IMPORTANCES),
        found: { type: 'boolean' },
        evidence: QUOTE,
      }),
    },
    skills: {
      type: 'array',
      description: `1 to ${MAX_SKILLS} skills of the job.`,
      minItems: 1,
      items: closedObject({
        skill: STRING,
        importance: choice(IMPORTANCES),
        level: choice(SKILL_LEVELS),
        evidence: QUOTE,
      }),
    },
    experience: closedObject(
      {
        requiredYears: {
          type: 'number',
          description: `Years, 0 to ${MAX_YEARS}; left out when the job names no number.`,
        },
        relevantYears: { type: 'number', description: `Years, 0 to ${MAX_YEARS}.` },
        seniorityFit: choice(SENIORITY_FITS),
        evidence: { type: 'array', description: `At most ${MAX_EVIDENCE} quotes.`, items: QUOTE },
      },
      ['relevantYears', 'seniorityFit', 'evidence'],
    ),
    sectionsPresent: { type: 'array', items: choice(SCORE_SECTIONS) },
    reasons: {
      type: 'array',
      description: `1 to ${MAX_REASONS} reasons.`,
      minItems: 1,
      items: closedObject({ area: choice(SCORE_AREAS), reason: STRING, evidence: QUOTE }),
    },
  }),
  check: checkScoreAnswer,
};

function checkScoreAnswer(answer: unknown, input: ScoreTaskInput): OutputCheck<ScoreJudgment> {
  const read = new AnswerReader();
  const resume = new ResumeTextIndex(resumeTextOf(input));
  const root = read.object(answer, 'answer') ?? {};
  /** A quote that must be in the resume when `needed` (or whenever it is not blank). */
  const quote = (value: unknown, path: string, needed: boolean): string => {
    const text = read.text(value, path, { allowEmpty: true, max: 500 }) ?? '';
    if (needed && text.trim() === '') read.problem(`${path} must quote the resume`);
    else if (text.trim() !== '' && !resume.containsQuote(text)) {
      read.problem(`${path} "${text}" does not appear in the resume`);
    }
    return text;
  };
  const once = uniqueBy(read);

  const keywords = read.list(root.keywords, 'keywords', 1, MAX_KEYWORDS).map((item, i) => {
    const at = `keywords[${i}]`;
    const k = read.object(item, at) ?? {};
    const found = read.boolean(k.found, `${at}.found`) ?? false;
    return {
      keyword:
        once(read.text(k.keyword, `${at}.keyword`, { max: 100 }), `${at}.keyword`, 'keywords') ??
        '',
      importance: read.choice(k.importance, `${at}.importance`, IMPORTANCES) ?? 'preferred',
      found,
      evidence: found ? quote(k.evidence, `${at}.evidence`, true) : '',
    };
  });
  const skills = read.list(root.skills, 'skills', 1, MAX_SKILLS).map((item, i) => {
    const at = `skills[${i}]`;
    const s = read.object(item, at) ?? {};
    const level = read.choice(s.level, `${at}.level`, SKILL_LEVELS) ?? 'none';
    return {
      skill: once(read.text(s.skill, `${at}.skill`, { max: 100 }), `${at}.skill`, 'skills') ?? '',
      importance: read.choice(s.importance, `${at}.importance`, IMPORTANCES) ?? 'preferred',
      level,
      evidence: level === 'none' ? '' : quote(s.evidence, `${at}.evidence`, true),
    };
  });
  const e = read.object(root.experience, 'experience') ?? {};
  const experience: ExperienceJudgment = {
    requiredYears:
      e.requiredYears === undefined || e.requiredYears === null
        ? null
        : (read.number(e.requiredYears, 'experience.requiredYears', 0, MAX_YEARS) ?? null),
    relevantYears: read.number(e.relevantYears, 'experience.relevantYears', 0, MAX_YEARS) ?? 0,
    seniorityFit: read.choice(e.seniorityFit, 'experience.seniorityFit', SENIORITY_FITS) ?? 'below',
    evidence: read
      .list(e.evidence, 'experience.evidence', 0, MAX_EVIDENCE)
      .map((q, i) => quote(q, `experience.evidence[${i}]`, true)),
  };
  const sectionsPresent = [
    ...new Set(
      read
        .list(root.sectionsPresent, 'sectionsPresent', 0, SCORE_SECTIONS.length * 2)
        .map((s, i) => read.choice(s, `sectionsPresent[${i}]`, SCORE_SECTIONS))
        .filter((s): s is ScoreSection => s !== undefined),
    ),
  ];
  const reasons = read.list(root.reasons, 'reasons', 1, MAX_REASONS).map((item, i) => {
    const at = `reasons[${i}]`;
    const r = read.object(item, at) ?? {};
    return {
      area: read.choice(r.area, `${at}.area`, SCORE_AREAS) ?? 'keywords',
      reason: read.text(r.reason, `${at}.reason`, { max: 1_000 }) ?? '',
      evidence: quote(r.evidence, `${at}.evidence`, false),
    };
  });

  if (read.problems.length > 0) return { ok: false, problems: read.problems };
  return { ok: true, value: { keywords, skills, experience, sectionsPresent, reasons } };
}

/** Reports a keyword or skill named twice (it would count twice in the score). */
function uniqueBy(read: AnswerReader) {
  const seen = new Map<string, Set<string>>();
  return (value: string | undefined, path: string, list: string): string | undefined => {
    if (value === undefined) return undefined;
    const key = normalizeForMatch(value);
    const names = seen.get(list) ?? new Set<string>();
    seen.set(list, names);
    if (names.has(key)) read.problem(`${path} "${value}" is listed twice in ${list}`);
    names.add(key);
    return value;
  };
}
