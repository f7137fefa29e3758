import { requireInputObject, requireText } from '../task-input.validators';

/** Input of the `optimize` task. */
export interface OptimizeTaskInput {
  resumeText: string;
  jobDescription: string;
}

const FIELDS = ['resumeText', 'jobDescription'] as const;

/** Checks an `optimize` input; throws `GatewayError` `INVALID_REQUEST` naming the field. */
export function validateOptimizeInput(input: unknown): OptimizeTaskInput {
  const object = requireInputObject(input, FIELDS);
  return {
    resumeText: requireText(object, 'resumeText'),
    jobDescription: requireText(object, 'jobDescription'),
  };
}
