import type { ChatCompletionMessageParam } from '@ai-gateway/core';
import { DATA_NOT_INSTRUCTIONS, delimit } from '../task-prompt.helpers';
import type { ScoreTaskInput } from './score.schema';

/** Used when the caller names no criteria. */
export const DEFAULT_SCORE_CRITERIA: readonly string[] = [
  'required skills',
  'relevant experience',
  'seniority and scope',
  'education and certifications',
  'domain knowledge',
];

const SYSTEM = [
  'You assess how well a resume matches a job description.',
  'Answer with one JSON object of this shape:',
  '{"score": integer 0-100, "summary": string,',
  '"criteria": [{"name": string, "score": integer 0-100, "reason": string,',
  '"evidence": [short quotes copied from the resume]}]}.',
  'Score each criterion you are given, in the given order. Evidence must be quoted from the',
  'resume word for word; when there is none, give an empty list and a low score.',
  DATA_NOT_INSTRUCTIONS,
].join('\n');

/** System and user messages of the `score` task. */
export function buildScorePrompt(input: ScoreTaskInput): ChatCompletionMessageParam[] {
  const criteria = input.criteria ?? DEFAULT_SCORE_CRITERIA;
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: [
        `Criteria: ${JSON.stringify(criteria)}`,
        delimit('job_description', input.jobDescription),
        delimit('resume', input.resumeText),
      ].join('\n\n'),
    },
  ];
}
