import { ResumeTaskType } from '../resume-task-type.enum';
import { OPTIMIZE_ANSWER } from './optimize-answers.fixtures';
import { PARSE_ANSWER } from './parse-answers.fixtures';
import { SCORE_ANSWER } from './score-answers.fixtures';
import { TEST_ANSWER } from './test-answers.fixtures';

/**
 * Test fixtures of the resume tasks (specs and the gateway's e2e tests): the package's
 * sample resumes as JSON and text, a job description, and realistic model answers —
 * valid ones, and the invalid kinds the output checks must reject.
 */
export { PACKAGE_RESUMES, SAMPLE_RESUME, SAMPLE_RESUME_TEXT } from './sample-resumes.fixtures';
export { JOB_DESCRIPTION } from './job-description.fixtures';
export {
  INVALID_JSON_ANSWER,
  PARSE_ANSWER,
  PARSE_ANSWER_BAD_DATE,
  PARSE_ANSWER_INVENTED_EMAIL,
  parseAnswerOf,
} from './parse-answers.fixtures';
export { SCORE_ANSWER, SCORE_EXPECTED } from './score-answers.fixtures';
export { OPTIMIZE_ANSWER, OPTIMIZE_ANSWER_INVENTED_EMPLOYER } from './optimize-answers.fixtures';
export { TEST_ANSWER } from './test-answers.fixtures';

const VALID_ANSWERS: Readonly<Record<ResumeTaskType, string>> = {
  [ResumeTaskType.PARSE]: PARSE_ANSWER,
  [ResumeTaskType.SCORE]: SCORE_ANSWER,
  [ResumeTaskType.OPTIMIZE]: OPTIMIZE_ANSWER,
  [ResumeTaskType.TEST]: TEST_ANSWER,
};

/**
 * The valid model answer of a task type for the sample resume (`SAMPLE_RESUME_TEXT`) and
 * `JOB_DESCRIPTION` (`test`: the default 8 questions, mixed difficulty).
 */
export function answerFor(type: ResumeTaskType): string {
  return VALID_ANSWERS[type];
}
