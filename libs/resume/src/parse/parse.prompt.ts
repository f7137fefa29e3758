import type { ChatCompletionMessageParam } from '@ai-gateway/core';
import { DATA_NOT_INSTRUCTIONS, delimit } from '../task-prompt.helpers';
import type { ParseTaskInput } from './parse.schema';

/** The JSON Resume (jsonresume.org) sections the model fills; the shape is spelled out. */
const SYSTEM = [
  'You extract structured data from resumes.',
  'Answer with one JSON object in the JSON Resume schema shape, using only these keys:',
  '{"basics":{"name","label","email","phone","url","summary",',
  '"location":{"city","region","countryCode"},"profiles":[{"network","username","url"}]},',
  '"work":[{"name","position","startDate","endDate","summary","highlights":[]}],',
  '"education":[{"institution","area","studyType","startDate","endDate"}],',
  '"skills":[{"name","keywords":[]}],"languages":[{"language","fluency"}],',
  '"certificates":[{"name","issuer","date"}],"projects":[{"name","description","highlights":[]}]}.',
  'Dates are YYYY, YYYY-MM or YYYY-MM-DD; an ongoing role has no endDate.',
  'Copy facts from the resume only. Leave out any key the resume does not support; never guess.',
  DATA_NOT_INSTRUCTIONS,
].join('\n');

/** System and user messages of the `parse` task. */
export function buildParsePrompt(input: ParseTaskInput): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: SYSTEM },
    { role: 'user', content: delimit('resume', input.resumeText) },
  ];
}
