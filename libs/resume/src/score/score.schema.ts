import { optionalStringList, requireInputObject, requireText } from '../task-input.validators';

/** Input of the `score` task. */
export interface ScoreTaskInput {
  resumeText: string;
  jobDescription: string;
  /** What to score on; the prompt's default criteria when absent. */
  criteria?: string[];
}

const FIELDS = ['resumeText', 'jobDescription', 'criteria'] as const;

/** Checks a `score` input; throws `GatewayError` `INVALID_REQUEST` naming the field. */
export function validateScoreInput(input: unknown): ScoreTaskInput {
  const object = requireInputObject(input, FIELDS);
  const resumeText = requireText(object, 'resumeText');
  const jobDescription = requireText(object, 'jobDescription');
  const criteria = optionalStringList(object, 'criteria', { maxItems: 12, maxChars: 200 });
  return criteria ? { resumeText, jobDescription, criteria } : { resumeText, jobDescription };
}
