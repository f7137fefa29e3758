import type { OutputSchema } from './output-schema';
import type { DefinedInput } from './defined-input';
import type { InputField, QuoteRule } from './task-definition';

const SEGMENT = /^([A-Za-z_][A-Za-z0-9_]*)(\[\])?$/;
const RULE_KEYS = ['path', 'quotedFrom'];
/** Characters of a rejected quote repeated in the repair prompt. */
const SHOWN = 80;
/** A letter or digit: a quote may not start or end inside a run of them. */
const WORD = /[\p{L}\p{N}]/u;

/**
 * Reads `output.rules`: each `{ path, quotedFrom }` names a string path of the output
 * (`evidence[]`: every item; `findings[].quote`) and a text field of the input it must be
 * quoted from. Both are checked against the schema and the fields here, at boot.
 */
export function readQuoteRules(
  raw: unknown,
  schema: OutputSchema,
  fields: readonly InputField[],
  path: string,
  problems: string[],
): QuoteRule[] {
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    problems.push(`${path}: must be a list of rules ({ path, quotedFrom })`);
    return [];
  }
  const rules: QuoteRule[] = [];
  raw.forEach((entry: unknown, i) => {
    const at = `${path}[${i}]`;
    const rule = (typeof entry === 'object' && entry !== null ? entry : {}) as Record<
      string,
      unknown
    >;
    for (const key of Object.keys(rule)) {
      if (!RULE_KEYS.includes(key)) {
        problems.push(`${at}.${key}: unknown rule key (supported: ${RULE_KEYS.join(', ')})`);
      }
    }
    const { path: target, quotedFrom } = rule;
    const field = fields.find((f) => f.name === quotedFrom);
    if (!field || (field.type !== 'string' && field.type !== 'string[]')) {
      problems.push(`${at}.quotedFrom: must name a string or string[] input field`);
    }
    const segments = typeof target === 'string' ? parsePath(target) : undefined;
    if (!segments) {
      problems.push(`${at}.path: must be a path such as evidence[] or findings[].quote`);
      return;
    }
    const reason = stringAt(schema, segments);
    if (reason) problems.push(`${at}.path: ${reason}`);
    rules.push({ path: target as string, segments, quotedFrom: String(quotedFrom) });
  });
  return rules;
}

function parsePath(path: string): QuoteRule['segments'] | undefined {
  const segments = [];
  for (const part of path.split('.')) {
    const match = SEGMENT.exec(part);
    if (!match) return undefined;
    segments.push({ property: match[1], each: match[2] !== undefined });
  }
  return segments;
}

/** Why `segments` does not lead to a string in `schema`; undefined when it does. */
function stringAt(schema: OutputSchema, segments: QuoteRule['segments']): string | undefined {
  let node = schema;
  for (const { property, each } of segments) {
    const next = node.type === 'object' ? node.properties?.[property] : undefined;
    if (!next || !Object.hasOwn(node.properties ?? {}, property)) {
      return `"${property}" is not a property of the output there`;
    }
    node = next;
    if (each) {
      if (node.type !== 'array') return `"${property}" is not a list: drop its []`;
      node = node.items!;
    }
  }
  if (node.type === 'array') return 'ends at a list: add [] to quote each item';
  return node.type === 'string' ? undefined : `ends at a ${node.type}, not a string`;
}

/**
 * Every string the rules name that does not appear in its input field, as repair-prompt
 * sentences. Matching is verbatim after whitespace is normalised (runs of spaces, tabs
 * and line breaks are one space; Unicode in NFC) and on word boundaries: a faithful quote
 * that spans a line break passes; a paraphrase, a changed figure or a cut word does not.
 */
export function quoteProblems(
  rules: readonly QuoteRule[],
  answer: unknown,
  input: DefinedInput,
): string[] {
  const problems: string[] = [];
  for (const rule of rules) {
    const source = input[rule.quotedFrom];
    // A list field: a quote must come from one item, never straddle two.
    const texts = (Array.isArray(source) ? source : [String(source ?? '')]).map(
      normalizeWhitespace,
    );
    for (const { value, at } of stringsAt(answer, rule.segments, '')) {
      const quote = normalizeWhitespace(value);
      if (quote === '') problems.push(`${at} must quote ${rule.quotedFrom} (it is empty)`);
      else if (!texts.some((text) => containsQuote(text, quote))) {
        const shown = quote.length > SHOWN ? `${quote.slice(0, SHOWN)}…` : quote;
        problems.push(
          `${at} "${shown}" does not appear in ${rule.quotedFrom}: copy the words exactly as written`,
        );
      }
    }
  }
  return problems;
}

/**
 * True when `quote` occurs in `text` without cutting a word at either end ("1,25" is not
 * a quote of "1,250.00"; "1,250" is).
 */
function containsQuote(text: string, quote: string): boolean {
  for (let at = text.indexOf(quote); at >= 0; at = text.indexOf(quote, at + 1)) {
    const end = at + quote.length;
    const cutsStart = WORD.test(quote[0]) && at > 0 && WORD.test(text[at - 1]);
    const cutsEnd = WORD.test(quote[quote.length - 1]) && end < text.length && WORD.test(text[end]);
    if (!cutsStart && !cutsEnd) return true;
  }
  return false;
}

export function normalizeWhitespace(text: string): string {
  return text.normalize('NFC').replace(/\s+/gu, ' ').trim();
}

/** The strings at a path of an answer; shapes that do not fit are skipped (the schema reports them). */
function stringsAt(
  value: unknown,
  segments: QuoteRule['segments'],
  path: string,
): Array<{ value: string; at: string }> {
  if (segments.length === 0) return typeof value === 'string' ? [{ value, at: path }] : [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return [];
  const [{ property, each }, ...rest] = segments;
  if (!Object.hasOwn(value, property)) return [];
  const child = (value as Record<string, unknown>)[property];
  const at = path === '' ? property : `${path}.${property}`;
  if (!each) return stringsAt(child, rest, at);
  if (!Array.isArray(child)) return [];
  return child.flatMap((item: unknown, i) => stringsAt(item, rest, `${at}[${i}]`));
}
