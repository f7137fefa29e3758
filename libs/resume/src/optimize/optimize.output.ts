import { AnswerReader } from '../shared/answer-reader';
import type { JsonResume } from '../shared/json-resume';
import { jsonResumeProblems, sectionsPresent } from '../shared/json-resume';
import { JSON_RESUME_OUTPUT_SCHEMA } from '../shared/json-resume-output.schema';
import type { OutputCheck, TaskOutputSpec } from '../structured/task-output-spec';
import { inventedFacts } from './invented-facts.check';
import type { OptimizeTaskInput } from './optimize.schema';

/** One change the rewrite made, and why it helps for this job. */
export interface ResumeChange {
  /** The resume section changed (`basics.summary`, `work[0].highlights`, `skills`, …). */
  section: string;
  description: string;
  reason: string;
}

/** Output of the `optimize` task. */
export interface OptimizeTaskOutput {
  /** The rewritten resume in the JSON Resume shape; passes the official schema. */
  resume: JsonResume;
  changes: ResumeChange[];
}

const MAX_CHANGES = 30;
const text = { type: 'string' };

/**
 * The `optimize` answer: a rewritten resume that passes `@jsonresume/schema`, at least
 * one change with its reason, and no employer, job title, degree, institution or date
 * that the input did not have (see `inventedFacts`).
 */
export const OPTIMIZE_OUTPUT: TaskOutputSpec<OptimizeTaskInput, OptimizeTaskOutput> = {
  name: 'resume_optimize',
  jsonSchema: {
    type: 'object',
    properties: {
      resume: JSON_RESUME_OUTPUT_SCHEMA,
      changes: {
        type: 'array',
        description: `1 to ${MAX_CHANGES} changes.`,
        minItems: 1,
        items: {
          type: 'object',
          properties: { section: text, description: text, reason: text },
          required: ['section', 'description', 'reason'],
          additionalProperties: false,
        },
      },
    },
    required: ['resume', 'changes'],
    additionalProperties: false,
  },
  check: checkOptimizeAnswer,
};

function checkOptimizeAnswer(
  answer: unknown,
  input: OptimizeTaskInput,
): OutputCheck<OptimizeTaskOutput> {
  const read = new AnswerReader();
  const root = read.object(answer, 'answer') ?? {};
  const resume = read.object(root.resume, 'resume');
  if (resume) {
    jsonResumeProblems(resume, 'resume').forEach((problem) => read.problem(problem));
    if (sectionsPresent(resume).length === 0) read.problem('resume has no section filled in');
    inventedFacts(resume, input).forEach((problem) => read.problem(problem));
  }
  const changes = read.list(root.changes, 'changes', 1, MAX_CHANGES).map((item, i) => {
    const at = `changes[${i}]`;
    const c = read.object(item, at) ?? {};
    return {
      section: read.text(c.section, `${at}.section`, { max: 200 }) ?? '',
      description: read.text(c.description, `${at}.description`, { max: 2_000 }) ?? '',
      reason: read.text(c.reason, `${at}.reason`, { max: 2_000 }) ?? '',
    };
  });
  if (read.problems.length > 0 || !resume) {
    return { ok: false, problems: read.problems };
  }
  return { ok: true, value: { resume, changes } };
}
