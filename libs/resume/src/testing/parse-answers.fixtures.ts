import type { JsonResume, JsonResumeSection } from '../shared/json-resume';
import { sectionsPresent } from '../shared/json-resume';
import { SAMPLE_RESUME } from './sample-resumes.fixtures';

const DATE_FIELDS = new Set(['startDate', 'endDate', 'date', 'releaseDate']);

/** `2013-12-01` → `2013-12`: the precision a resume's "Dec 2013" gives a parser. */
function monthPrecision(value: unknown, key?: string): unknown {
  if (Array.isArray(value)) return value.map((item) => monthPrecision(item));
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, monthPrecision(v, k)]));
  }
  if (key && DATE_FIELDS.has(key) && typeof value === 'string') return value.slice(0, 7);
  return value;
}

/**
 * What a careful model answers to `parse` for a resume rendered as text: the resume
 * without tooling keys (`$schema`, `meta`) or empty fields, and a confidence for each
 * section it filled.
 */
export function parseAnswerOf(
  resume: JsonResume,
  options: { monthPrecision?: boolean } = {},
): { resume: JsonResume; confidence: Partial<Record<JsonResumeSection, number>> } {
  const { $schema: _schema, meta: _meta, ...content } = structuredClone(resume);
  const basics = content.basics && { ...content.basics };
  if (basics && !basics.image) delete basics.image;
  const parsed = { ...content, ...(basics ? { basics } : {}) };
  const confidence = Object.fromEntries(
    sectionsPresent(parsed).map((section, i) => [section, i % 2 === 0 ? 0.95 : 0.85]),
  );
  return {
    resume: (options.monthPrecision ? monthPrecision(parsed) : parsed) as JsonResume,
    confidence,
  };
}

type ParseAnswer = ReturnType<typeof parseAnswerOf>;

/** The sample's parse answer as JSON text, after an optional change. */
function sampleAnswer(change: (answer: ParseAnswer) => void = () => undefined): string {
  const answer = parseAnswerOf(SAMPLE_RESUME, { monthPrecision: true });
  change(answer);
  return JSON.stringify(answer);
}

/** A valid `parse` answer for `SAMPLE_RESUME_TEXT` (dates to the month, as the text gives them). */
export const PARSE_ANSWER = sampleAnswer();

/** A `parse` answer that is JSON but fails the schema: a date written out in words. */
export const PARSE_ANSWER_BAD_DATE = sampleAnswer((answer) => {
  answer.resume.work![0].startDate = 'December 2013';
});

/** A `parse` answer that invents an email address the resume does not have. */
export const PARSE_ANSWER_INVENTED_EMAIL = sampleAnswer((answer) => {
  answer.resume.basics!.email = 'richard@piedpiper.example.com';
});

/** An answer cut off mid-object (a model that ran out of tokens, or ignored JSON mode). */
export const INVALID_JSON_ANSWER =
  '{"resume": {"basics": {"name": "Richard Hendriks", "label": "Programmer", "email": "richard.hendriks@mail.com"';
