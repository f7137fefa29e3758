import type { ResumeSource } from '../shared/resume-input';
import { readResumeSource } from '../shared/resume-input';
import { requireInputObject, requireText } from '../task-input.validators';

/** Input of the `optimize` task: a resume (text or JSON Resume) and the job description. */
export type OptimizeTaskInput = ResumeSource & { jobDescription: string };

const FIELDS = ['resumeText', 'resume', 'jobDescription'] as const;

/** Checks an `optimize` input; throws `GatewayError` `INVALID_REQUEST` naming the field. */
export function validateOptimizeInput(input: unknown): OptimizeTaskInput {
  const object = requireInputObject(input, FIELDS);
  const source = readResumeSource(object);
  return { ...source, jobDescription: requireText(object, 'jobDescription') };
}
