import type { ChatCompletionMessageParam } from '@ai-gateway/core';
import { resumeTextOf } from '../shared/resume-input';
import { DATA_NOT_INSTRUCTIONS, delimit, JSON_ONLY } from '../task-prompt.helpers';
import type { TestTaskInput } from './test.schema';

const SYSTEM = [
  'You write skills tests: interview questions that check whether a candidate has the',
  'skills a job needs, aimed at what their resume claims.',
  'Answer {"skills": [the skills the test covers], "questions": [{"question", "skill",',
  '"difficulty", "expectedAnswerPoints": [1 to 6 points a good answer covers]}]}.',
  'Pick the skills the job needs most, favouring those the resume claims (verify them)',
  'and those it lacks (probe them). Each question checks one of the listed skills; no',
  'question twice; questions are answerable in a few minutes of conversation.',
  JSON_ONLY,
  DATA_NOT_INSTRUCTIONS,
].join('\n');

function difficultyLine(input: TestTaskInput): string {
  return input.difficulty === 'mixed'
    ? 'Mix the difficulties: some easy, most medium, some hard.'
    : `Every question is "${input.difficulty}".`;
}

/** System and user messages of the `test` task (a JSON resume is sent rendered as text). */
export function buildTestPrompt(input: TestTaskInput): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: [
        `Write exactly ${input.count} questions. ${difficultyLine(input)}`,
        delimit('job_description', input.jobDescription),
        delimit('resume', resumeTextOf(input)),
      ].join('\n\n'),
    },
  ];
}
