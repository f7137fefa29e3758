import type { ChatCompletionMessageParam } from '@ai-gateway/core';
import { resumeTextOf } from '../shared/resume-input';
import { DATA_NOT_INSTRUCTIONS, delimit, JSON_ONLY } from '../task-prompt.helpers';
import type { ScoreTaskInput } from './score.schema';

/**
 * The model judges, code counts: it is asked for facts about the match (found or not,
 * how strong, how many years), never for a score.
 */
const SYSTEM = [
  'You assess how well a resume matches a job description. Do not compute any score.',
  "keywords: the job's important terms (technologies, methods, domains, certifications),",
  'each "required" or "preferred" as the job states; found = the resume shows it.',
  'skills: the job\'s skills; level "strong" (shown with results or depth), "partial"',
  '(mentioned or adjacent), or "none".',
  'experience: requiredYears the job asks for (leave out when it names none),',
  "relevantYears of experience relevant to this job shown by the resume's dates, and",
  'seniorityFit of the candidate against the role: below, match or above.',
  'sectionsPresent: which of contact, summary, experience, education, skills the resume has.',
  'reasons: the 3 to 8 facts that matter most for the match, each with its area.',
  'Every evidence is a short quote copied word for word from the resume (not the job):',
  'required when a keyword is found, a skill is strong or partial, and for experience;',
  'use "" only for something the resume does not show.',
  JSON_ONLY,
  DATA_NOT_INSTRUCTIONS,
].join('\n');

/** System and user messages of the `score` task (a JSON resume is sent rendered as text). */
export function buildScorePrompt(input: ScoreTaskInput): ChatCompletionMessageParam[] {
  return [
    { role: 'system', content: SYSTEM },
    {
      role: 'user',
      content: [
        delimit('job_description', input.jobDescription),
        delimit('resume', resumeTextOf(input)),
      ].join('\n\n'),
    },
  ];
}
