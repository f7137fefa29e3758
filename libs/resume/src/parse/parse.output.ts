import type { JsonResume, JsonResumeSection } from '../shared/json-resume';
import {
  isJsonObject,
  JSON_RESUME_SECTIONS,
  jsonResumeProblems,
  sectionsPresent,
} from '../shared/json-resume';
import { JSON_RESUME_OUTPUT_SCHEMA } from '../shared/json-resume-output.schema';
import { ResumeTextIndex } from '../shared/text-match';
import type { OutputCheck, TaskOutputSpec } from '../structured/task-output-spec';

/** Output of the `parse` task. */
export interface ParseTaskOutput {
  /** The resume in the JSON Resume shape; passes the official schema. */
  resume: JsonResume;
  /** The model's confidence (0–1) in each section the resume has, and only those. */
  confidence: Partial<Record<JsonResumeSection, number>>;
}

/** What the `parse` check needs: the text the resume was read from. */
export interface ParseCheckInput {
  resumeText: string;
}

const CONFIDENCE_SCHEMA = {
  type: 'object',
  description: 'Per filled section: 0 (guess) to 1 (certain).',
  properties: Object.fromEntries(
    JSON_RESUME_SECTIONS.map((section) => [section, { type: 'number', description: '0 to 1' }]),
  ),
  additionalProperties: false,
};

/**
 * The `parse` answer: a resume that passes `@jsonresume/schema`, a confidence in [0, 1]
 * for every section it fills, and no contact detail or employer that the text does not
 * contain (the facts a wrong parse would most likely get wrong, and the costliest).
 */
export const PARSE_OUTPUT: TaskOutputSpec<ParseCheckInput, ParseTaskOutput> = {
  name: 'resume_parse',
  jsonSchema: {
    type: 'object',
    properties: { resume: JSON_RESUME_OUTPUT_SCHEMA, confidence: CONFIDENCE_SCHEMA },
    required: ['resume', 'confidence'],
    additionalProperties: false,
  },
  check: checkParseAnswer,
};

function checkParseAnswer(answer: unknown, input: ParseCheckInput): OutputCheck<ParseTaskOutput> {
  const { resume, confidence } = isJsonObject(answer) ? answer : {};
  if (!isJsonObject(resume)) return { ok: false, problems: ['resume must be a JSON object'] };
  const problems = jsonResumeProblems(resume, 'resume');
  const sections = sectionsPresent(resume);
  if (sections.length === 0) problems.push('resume has no section filled in');

  const kept: Partial<Record<JsonResumeSection, number>> = {};
  if (!isJsonObject(confidence)) {
    problems.push('confidence must be an object with a number per filled section');
  } else {
    for (const section of sections) {
      const value = confidence[section];
      if (typeof value !== 'number' || !(value >= 0 && value <= 1)) {
        problems.push(`confidence.${section} must be a number from 0 to 1`);
      } else kept[section] = value;
    }
  }

  problems.push(...inventedFacts(resume, new ResumeTextIndex(input.resumeText)));
  if (problems.length > 0) return { ok: false, problems };
  // Confidences for sections the resume does not have say nothing: they are dropped.
  return { ok: true, value: { resume, confidence: kept } };
}

/** Contact details and employers that do not appear in the resume text. */
function inventedFacts(resume: JsonResume, text: ResumeTextIndex): string[] {
  const problems: string[] = [];
  // Runs on answers that may also have failed the schema: nothing here trusts the shape.
  const { email, phone } = isJsonObject(resume.basics) ? resume.basics : {};
  if (typeof email === 'string' && !text.containsPhrase(email)) {
    problems.push(`basics.email "${email}" does not appear in the resume`);
  }
  if (typeof phone === 'string' && !text.containsPhone(phone)) {
    problems.push(`basics.phone "${phone}" does not appear in the resume`);
  }
  const work: unknown[] = Array.isArray(resume.work) ? resume.work : [];
  work.forEach((entry, i) => {
    const name = isJsonObject(entry) ? entry.name : undefined;
    if (typeof name === 'string' && !text.containsPhrase(name)) {
      problems.push(`work[${i}].name "${name}" does not appear in the resume`);
    }
  });
  return problems;
}
