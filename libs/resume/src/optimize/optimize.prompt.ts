import type { ChatCompletionMessageParam } from '@ai-gateway/core';
import { DATA_NOT_INSTRUCTIONS, delimit, JSON_ONLY } from '../task-prompt.helpers';
import type { OptimizeTaskInput } from './optimize.schema';

const SYSTEM = [
  'You rewrite resumes so they present the candidate well for one job description.',
  'Answer {"resume": <the rewritten resume in the JSON Resume schema>,',
  '"changes": [{"section", "description", "reason"}]}.',
  'Reorder, rephrase and emphasise what the resume already says: sharpen the summary,',
  "lead with the highlights that matter for this job, use the job's words for skills the",
  'resume shows.',
  'Never add or alter employers, job titles, dates, degrees or institutions: copy them',
  'exactly as the resume states them. Never claim skills, numbers or results the resume',
  'does not contain.',
  'Dates are YYYY, YYYY-MM or YYYY-MM-DD, no more precise than the resume gives them.',
  'List every change you made: the section, what changed, and why it helps for this job.',
  JSON_ONLY,
  DATA_NOT_INSTRUCTIONS,
].join('\n');

/**
 * System and user messages of the `optimize` task. A JSON resume is sent as JSON, so the
 * rewrite keeps its structure; a text resume is sent as it is.
 */
export function buildOptimizePrompt(input: OptimizeTaskInput): ChatCompletionMessageParam[] {
  const resume = 'resume' in input ? JSON.stringify(input.resume, null, 2) : input.resumeText;
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: [delimit('job_description', input.jobDescription), delimit('resume', resume)].join(
        '\n\n',
      ),
    },
  ];
}
