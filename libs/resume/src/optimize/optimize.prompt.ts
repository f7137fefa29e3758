import type { ChatCompletionMessageParam } from '@ai-gateway/core';
import { DATA_NOT_INSTRUCTIONS, delimit } from '../task-prompt.helpers';
import type { OptimizeTaskInput } from './optimize.schema';

const SYSTEM = [
  'You rewrite resumes so they present the candidate well for one job description.',
  'Answer with one JSON object of this shape:',
  '{"optimizedResume": string (the full rewritten resume, plain text),',
  '"changes": [{"section": string, "before": string, "after": string, "reason": string}]}.',
  'Reorder, rephrase and emphasise what the resume already says. Never add employers,',
  'titles, dates, degrees, skills or numbers that the resume does not contain.',
  'List every change you made.',
  DATA_NOT_INSTRUCTIONS,
].join('\n');

/** System and user messages of the `optimize` task. */
export function buildOptimizePrompt(input: OptimizeTaskInput): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: [
        delimit('job_description', input.jobDescription),
        delimit('resume', input.resumeText),
      ].join('\n\n'),
    },
  ];
}
