import type { ChatCompletionMessageParam } from '@ai-gateway/core';
import { DATA_NOT_INSTRUCTIONS, delimit, JSON_ONLY } from '../task-prompt.helpers';

/** What the model is asked; the shape itself travels as the response schema. */
const SYSTEM = [
  'You extract structured data from resumes into the JSON Resume schema (jsonresume.org).',
  'Answer {"resume": <the resume>, "confidence": {<section>: number}}.',
  'resume: basics, work, volunteer, education, awards, certificates, publications, skills,',
  'languages, interests, references and projects, each only when the resume has it.',
  'Dates are YYYY, YYYY-MM or YYYY-MM-DD (the precision the resume gives: "Mar 2019" is',
  '"2019-03"); an ongoing role has no endDate. URLs are absolute (https://…).',
  'Copy facts from the resume only: names, employers, titles, dates, email and phone exactly',
  'as written. Leave out any field the resume does not state; never guess, never send empty',
  'strings.',
  'confidence: for every section you filled, how sure you are that it is complete and',
  'correct, from 0 (guess) to 1 (certain).',
  JSON_ONLY,
  DATA_NOT_INSTRUCTIONS,
].join('\n');

/** System and user messages of the `parse` task. */
export function buildParsePrompt(resumeText: string): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: delimit('resume', resumeText) },
  ];
}
