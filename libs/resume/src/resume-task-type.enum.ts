/**
 * The resume jobs a worker (or the gateway, inline) can run. The values are the wire
 * names of `POST /v1/tasks` `type` and of queued jobs, so they never change once shipped.
 */
export enum ResumeTaskType {
  /** Resume text → structured JSON in the JSON Resume schema's shape. */
  PARSE = 'parse',
  /** Resume × job description → 0–100 with per-criterion reasons and evidence. */
  SCORE = 'score',
  /** Resume rewritten for a job description, with the list of changes. */
  OPTIMIZE = 'optimize',
  /** Resume × job description → a skills test: interview questions with expected answer points. */
  TEST = 'test',
}

/** Every task type, in declaration order. */
export const RESUME_TASK_TYPES: readonly ResumeTaskType[] = Object.values(ResumeTaskType);

/** Narrows an untrusted string (a request body, a job payload) to a task type. */
export function isResumeTaskType(value: unknown): value is ResumeTaskType {
  return typeof value === 'string' && (RESUME_TASK_TYPES as readonly string[]).includes(value);
}
