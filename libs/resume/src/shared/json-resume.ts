import { validate } from '@jsonresume/schema';

/** `YYYY`, `YYYY-MM` or `YYYY-MM-DD` (the schema's `iso8601` definition). */
export type JsonResumeDate = string;

export interface JsonResumeLocation {
  address?: string;
  postalCode?: string;
  city?: string;
  countryCode?: string;
  region?: string;
}

export interface JsonResumeProfile {
  network?: string;
  username?: string;
  url?: string;
}

export interface JsonResumeBasics {
  name?: string;
  label?: string;
  image?: string;
  email?: string;
  phone?: string;
  url?: string;
  summary?: string;
  location?: JsonResumeLocation;
  profiles?: JsonResumeProfile[];
}

export interface JsonResumeWork {
  name?: string;
  location?: string;
  description?: string;
  position?: string;
  url?: string;
  startDate?: JsonResumeDate;
  endDate?: JsonResumeDate;
  summary?: string;
  highlights?: string[];
}

export interface JsonResumeVolunteer {
  organization?: string;
  position?: string;
  url?: string;
  startDate?: JsonResumeDate;
  endDate?: JsonResumeDate;
  summary?: string;
  highlights?: string[];
}

export interface JsonResumeEducation {
  institution?: string;
  url?: string;
  area?: string;
  studyType?: string;
  startDate?: JsonResumeDate;
  endDate?: JsonResumeDate;
  score?: string;
  courses?: string[];
}

export interface JsonResumeAward {
  title?: string;
  date?: JsonResumeDate;
  awarder?: string;
  summary?: string;
}

export interface JsonResumeCertificate {
  name?: string;
  date?: JsonResumeDate;
  url?: string;
  issuer?: string;
}

export interface JsonResumePublication {
  name?: string;
  publisher?: string;
  releaseDate?: JsonResumeDate;
  url?: string;
  summary?: string;
}

export interface JsonResumeSkill {
  name?: string;
  level?: string;
  keywords?: string[];
}

export interface JsonResumeLanguage {
  language?: string;
  fluency?: string;
}

export interface JsonResumeInterest {
  name?: string;
  keywords?: string[];
}

export interface JsonResumeReference {
  name?: string;
  reference?: string;
}

export interface JsonResumeProject {
  name?: string;
  description?: string;
  highlights?: string[];
  keywords?: string[];
  startDate?: JsonResumeDate;
  endDate?: JsonResumeDate;
  url?: string;
  roles?: string[];
  entity?: string;
  type?: string;
}

/**
 * A resume in the JSON Resume shape (jsonresume.org). The schema allows extra keys
 * everywhere; only the standard ones are typed.
 */
export interface JsonResume {
  $schema?: string;
  basics?: JsonResumeBasics;
  work?: JsonResumeWork[];
  volunteer?: JsonResumeVolunteer[];
  education?: JsonResumeEducation[];
  awards?: JsonResumeAward[];
  certificates?: JsonResumeCertificate[];
  publications?: JsonResumePublication[];
  skills?: JsonResumeSkill[];
  languages?: JsonResumeLanguage[];
  interests?: JsonResumeInterest[];
  references?: JsonResumeReference[];
  projects?: JsonResumeProject[];
  meta?: Record<string, unknown>;
  [key: string]: unknown;
}

/** The content sections of a resume, in the schema's order (`meta` is tooling, not content). */
export const JSON_RESUME_SECTIONS = [
  'basics',
  'work',
  'volunteer',
  'education',
  'awards',
  'certificates',
  'publications',
  'skills',
  'languages',
  'interests',
  'references',
  'projects',
] as const;
export type JsonResumeSection = (typeof JSON_RESUME_SECTIONS)[number];

/** Problems reported at most: a resume broken everywhere needs no list of hundreds. */
const MAX_PROBLEMS = 20;

/**
 * Checks a value against the official JSON Resume schema (`@jsonresume/schema`).
 * Returns short problem sentences naming the path under `at` (`resume.work[0].startDate
 * must be a date …`); empty when the resume is valid.
 */
export function jsonResumeProblems(value: unknown, at = 'resume'): string[] {
  let problems: string[] = [];
  // The package's validator calls back synchronously.
  validate(value, (errors) => {
    problems = (errors ?? []).map((error) => {
      const path = error.property.replace(/^instance/, at);
      // The date rule is a regular expression: say what it means instead.
      const message = error.message.startsWith('does not match pattern')
        ? 'must be a date as YYYY, YYYY-MM or YYYY-MM-DD'
        : error.message;
      return `${path} ${message}`;
    });
  });
  if (problems.length > MAX_PROBLEMS) {
    return [...problems.slice(0, MAX_PROBLEMS), `and ${problems.length - MAX_PROBLEMS} more`];
  }
  return problems;
}

/** True for a plain JSON object (not an array, not null). */
export function isJsonObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The sections a resume actually fills: a non-empty list, or a `basics` object with at
 * least one field. An empty list or `{}` is not a section the resume has.
 */
export function sectionsPresent(resume: JsonResume): JsonResumeSection[] {
  return JSON_RESUME_SECTIONS.filter((section) => {
    const value: unknown = resume[section];
    if (Array.isArray(value)) return value.length > 0;
    return isJsonObject(value) && Object.keys(value).length > 0;
  });
}
