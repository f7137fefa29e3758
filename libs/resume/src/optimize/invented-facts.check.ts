import type { JsonResume } from '../shared/json-resume';
import { isJsonObject } from '../shared/json-resume';
import type { ResumeSource } from '../shared/resume-input';
import { datePrecisionKey, normalizeForMatch, ResumeTextIndex } from '../shared/text-match';

/** The kinds of fact a rewrite may never invent. */
type FactKind = 'employer' | 'title' | 'degree' | 'institution' | 'date';

interface Fact {
  kind: FactKind;
  /** Where it sits in the rewritten resume (`work[1].name`). */
  path: string;
  value: string;
}

/** Sections with start and end dates, and those with one `date`. */
const PERIOD_SECTIONS = ['work', 'education', 'volunteer', 'projects'] as const;
const DATED_SECTIONS = ['certificates', 'awards'] as const;

/** Where each kind comes from: `[section, field]`. */
const NAMED_FACTS: ReadonlyArray<[FactKind, string, string]> = [
  ['employer', 'work', 'name'],
  ['title', 'work', 'position'],
  ['degree', 'education', 'studyType'],
  ['institution', 'education', 'institution'],
];

const KIND_NAMES: Readonly<Record<FactKind, string>> = {
  employer: 'employers',
  title: 'job titles',
  degree: 'degrees',
  institution: 'institutions',
  date: 'dates',
};

/** Entries of a section as objects (the check also runs on answers of the wrong shape). */
function entriesOf(resume: Record<string, unknown>, section: string): Record<string, unknown>[] {
  const list = resume[section];
  return Array.isArray(list) ? list.filter(isJsonObject) : [];
}

function factsOf(resume: Record<string, unknown>): Fact[] {
  const facts: Fact[] = [];
  const add = (kind: FactKind, path: string, value: unknown): void => {
    if (typeof value === 'string' && value.trim() !== '') facts.push({ kind, path, value });
  };
  for (const [kind, section, field] of NAMED_FACTS) {
    entriesOf(resume, section).forEach((entry, i) =>
      add(kind, `${section}[${i}].${field}`, entry[field]),
    );
  }
  for (const section of PERIOD_SECTIONS) {
    entriesOf(resume, section).forEach((entry, i) => {
      add('date', `${section}[${i}].startDate`, entry.startDate);
      add('date', `${section}[${i}].endDate`, entry.endDate);
    });
  }
  for (const section of DATED_SECTIONS) {
    entriesOf(resume, section).forEach((entry, i) =>
      add('date', `${section}[${i}].date`, entry.date),
    );
  }
  return facts;
}

/** Decides whether a fact of the rewrite was in the input. */
type Known = (fact: Fact) => boolean;

/** Against a JSON input: the same kind of value, normalised; dates by year or month. */
function knownInJson(input: JsonResume): Known {
  const values = new Map<FactKind, Set<string>>();
  for (const fact of factsOf(input)) {
    const key = fact.kind === 'date' ? datePrecisionKey(fact.value) : normalizeForMatch(fact.value);
    if (key === undefined) continue;
    const set = values.get(fact.kind) ?? new Set<string>();
    set.add(key);
    // A month implies its year: a rewrite may state a date less precisely, never more.
    if (fact.kind === 'date') set.add(key.slice(0, 4));
    values.set(fact.kind, set);
  }
  return (fact) => {
    const key = fact.kind === 'date' ? datePrecisionKey(fact.value) : normalizeForMatch(fact.value);
    return key !== undefined && (values.get(fact.kind)?.has(key) ?? false);
  };
}

/** Against a text input: the value appears in the text (dates in any common form). */
function knownInText(text: string): Known {
  const index = new ResumeTextIndex(text);
  return (fact) =>
    fact.kind === 'date' ? index.containsDate(fact.value) : index.containsPhrase(fact.value);
}

/**
 * Employers, job titles, degrees, institutions and dates of a rewritten resume that the
 * input did not contain: checked against the input JSON's values when a JSON resume was
 * given, else against its text. One problem sentence per invented value.
 */
export function inventedFacts(rewritten: Record<string, unknown>, input: ResumeSource): string[] {
  const known = 'resume' in input ? knownInJson(input.resume) : knownInText(input.resumeText);
  return factsOf(rewritten)
    .filter((fact) => !known(fact))
    .map(
      (fact) =>
        `${fact.path} "${fact.value}" is not in the original resume (never invent ${KIND_NAMES[fact.kind]})`,
    );
}
