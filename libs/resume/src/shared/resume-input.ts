import { invalidInput, MAX_TEXT_CHARS, requireText } from '../task-input.validators';
import type { JsonResume } from './json-resume';
import { isJsonObject, jsonResumeProblems, sectionsPresent } from './json-resume';
import { renderResumeText } from './resume-text';

/**
 * The resume a task works on: plain text, or a JSON Resume object (jsonresume.org) —
 * exactly one of the two.
 */
export type ResumeSource = { resumeText: string } | { resume: JsonResume };

/** Invalid-resume problems quoted in the 400's message; the rest only make it longer. */
const LISTED_PROBLEMS = 3;

/**
 * Reads `resumeText` or `resume` from a task input (exactly one). A `resume` must pass
 * the official JSON Resume schema and fill at least one section; both are the caller's
 * mistakes, reported on `input.resume`.
 */
export function readResumeSource(object: Record<string, unknown>): ResumeSource {
  const hasText = object.resumeText !== undefined;
  const hasJson = object.resume !== undefined;
  if (hasText && hasJson) {
    invalidInput('resume', "must not be given together with 'input.resumeText' (send one)");
  }
  if (!hasJson) return { resumeText: requireText(object, 'resumeText') };

  const resume = object.resume;
  if (!isJsonObject(resume)) invalidInput('resume', 'must be a JSON Resume object');
  if (JSON.stringify(resume).length > MAX_TEXT_CHARS) {
    invalidInput('resume', `must be at most ${MAX_TEXT_CHARS} characters as JSON`);
  }
  const problems = jsonResumeProblems(resume, 'input.resume');
  if (problems.length > 0) {
    const listed = problems.slice(0, LISTED_PROBLEMS).join('; ');
    const more =
      problems.length > LISTED_PROBLEMS ? ` (and ${problems.length - LISTED_PROBLEMS} more)` : '';
    invalidInput('resume', `is not a valid JSON Resume: ${listed}${more}`);
  }
  if (sectionsPresent(resume).length === 0) {
    invalidInput('resume', 'has no resume content (basics, work, education, skills, …)');
  }
  return { resume };
}

/** The resume as text: as given, or the JSON Resume rendered (what prompts and quotes use). */
export function resumeTextOf(source: ResumeSource): string {
  return 'resume' in source ? renderResumeText(source.resume) : source.resumeText;
}

/** Characters the resume carries: the text's, or the JSON's serialised length. */
export function resumeSizeOf(source: ResumeSource): number {
  return 'resume' in source ? JSON.stringify(source.resume).length : source.resumeText.length;
}
