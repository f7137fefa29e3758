import type { ResumeSource } from '../shared/resume-input';
import { readResumeSource } from '../shared/resume-input';
import {
  optionalChoice,
  optionalInteger,
  requireInputObject,
  requireText,
} from '../task-input.validators';

/** How hard a question is. */
export const QUESTION_DIFFICULTIES = ['easy', 'medium', 'hard'] as const;
export type QuestionDifficulty = (typeof QUESTION_DIFFICULTIES)[number];

/** What a test asks for: one difficulty for every question, or a mix. */
export const TEST_DIFFICULTIES = [...QUESTION_DIFFICULTIES, 'mixed'] as const;
export type TestDifficulty = (typeof TEST_DIFFICULTIES)[number];

/** Questions per test: at least one, at most what one answer holds comfortably. */
export const MIN_QUESTIONS = 1;
export const MAX_QUESTIONS = 20;
export const DEFAULT_QUESTIONS = 8;

/**
 * Input of the `test` task: a skills test (interview questions) for a resume and a job
 * description. `count` and `difficulty` always hold a value once validated.
 */
export type TestTaskInput = ResumeSource & {
  jobDescription: string;
  /** Questions to write (1–20, default 8). */
  count: number;
  /** Difficulty of every question, or `mixed` (the default). */
  difficulty: TestDifficulty;
};

const FIELDS = ['resumeText', 'resume', 'jobDescription', 'count', 'difficulty'] as const;

/** Checks a `test` input; throws `GatewayError` `INVALID_REQUEST` naming the field. */
export function validateTestInput(input: unknown): TestTaskInput {
  const object = requireInputObject(input, FIELDS);
  const source = readResumeSource(object);
  return {
    ...source,
    jobDescription: requireText(object, 'jobDescription'),
    count: optionalInteger(object, 'count', {
      min: MIN_QUESTIONS,
      max: MAX_QUESTIONS,
      fallback: DEFAULT_QUESTIONS,
    }),
    difficulty: optionalChoice(object, 'difficulty', TEST_DIFFICULTIES, 'mixed'),
  };
}
