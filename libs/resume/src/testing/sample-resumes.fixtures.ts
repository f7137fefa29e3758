import sample from '@jsonresume/schema/sample.resume.json';
import careerChanger from '@jsonresume/schema/examples/career-changer.resume.json';
import newGrad from '@jsonresume/schema/examples/new-grad.resume.json';
import seniorEngineer from '@jsonresume/schema/examples/senior-engineer.resume.json';
import type { JsonResume } from '../shared/json-resume';
import { renderResumeText } from '../shared/resume-text';

/** The `@jsonresume/schema` package's sample resume (Richard Hendriks). */
export const SAMPLE_RESUME: JsonResume = sample;

/** The package's sample and example resumes, by name. */
export const PACKAGE_RESUMES: Readonly<Record<string, JsonResume>> = {
  sample,
  'career-changer': careerChanger,
  'new-grad': newGrad,
  'senior-engineer': seniorEngineer,
};

/** The sample resume as plain text, the way a caller would paste it. */
export const SAMPLE_RESUME_TEXT: string = renderResumeText(SAMPLE_RESUME);
