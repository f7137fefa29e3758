/**
 * The built-in resume tasks. Their values are wire names of `POST /v1/tasks` `type` and
 * of queued jobs, so they never change once shipped. Task types are open strings: a host
 * adds its own with `@Task('<name>')` or a YAML definition; these four always exist.
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

/** Every built-in task type, in declaration order. */
export const RESUME_TASK_TYPES: readonly ResumeTaskType[] = Object.values(ResumeTaskType);
