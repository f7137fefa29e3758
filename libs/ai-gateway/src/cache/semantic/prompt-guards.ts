import {
  CONVERSION_WORDS,
  DETERMINERS,
  KNOWN_NAMES,
  NAME_ALIASES,
  NEGATION_IDIOMS,
  NEGATIONS,
  NOT_NAMES,
  QUALIFIER_MAX_WORDS,
  QUALIFIER_PHRASE_STARTS,
  QUALIFIERS,
} from './prompt-lexicon';
import { numbersOf } from './prompt-numbers';
import { isFunctionWord, normalizePrompt, stem } from './prompt-words';

/**
 * What two near-duplicate prompts must share for one's cached answer to serve the other.
 * Small and JSON-serialisable: it is stored beside each semantic cache entry, and holds
 * values and names, never the prompt's text.
 */
export interface PromptFeatures {
  /** Numeric values, sorted ("1,000" → "1000", "five" → "5", "$85k" → "85000"). */
  numbers: string[];
  /** Negation cues ("not", "n't", "never", "without", …). */
  negations: number;
  /** Names any casing reveals (known names, identifiers with digits, dots or "_"), sorted. */
  entities: string[];
  /** Names only casing or quotes reveal (capitalised words, acronyms, short quotes), sorted. */
  names: string[];
  /** Qualifiers as "axis:pole" ("seniority:senior"), in order of first appearance. */
  qualifiers: string[];
  /** Conversions as "from>to" stems ("convert a string to an integer" → "string>integer"). */
  directions: string[];
}

/**
 * Version of the {@link PromptFeatures} shape and extraction: part of every semantic
 * scope, so features stored by another version are never compared with these.
 */
export const PROMPT_FEATURES_VERSION = 1;

/** Why two near-duplicate prompts must not share an answer. */
export type FeatureConflict = 'number' | 'negation' | 'entity' | 'qualifier';

/** Bounds the stored features of a long prompt; beyond them, the rest is summarised. */
const MAX_ITEMS = 32;

const WORD = /[\p{L}\p{N}]+/gu;
const NAME_TOKEN = /\.?[\p{L}\p{N}](?:[\p{L}\p{N}_'’+#]|[.-](?=[\p{L}\p{N}]))*/gu;
const QUOTED = /(?:^|[\s(:,])["“'‘]([^"“”'‘’\n]{1,40}?)["”'’](?=$|[\s.,;:!?)])/gu;
const POSSESSIVE = /['’]s?$/;
const APOSTROPHE = /['’]/;
const QUOTE_MARK = /["“'‘]/;
/** Lower-case letters, maybe hyphenated: no capital, digit or code punctuation to look at. */
const PLAIN_LOWER = /^[a-z]+(?:-[a-z]+)*$/;
const SENTENCE_END = /[.!?:;\n]/;
/** How many words before "to" a conversion verb may stand ("convert the list of names to"). */
const CONVERSION_REACH = 6;
const CONVERSION_VERBS = new Set(CONVERSION_WORDS.map(stem));
const OPENERS = /[ \t"'“‘([*•\-–—]/;

/** The guard features of a prompt. */
export function promptFeatures(text: string): PromptFeatures {
  const nfkc = text.normalize('NFKC');
  const lower = normalizePrompt(nfkc);
  const tokens = lower.match(WORD) ?? [];
  const { entities, names } = namesOf(nfkc);
  return {
    numbers: bounded(numbersOf(lower).sort()),
    negations: negationsOf(tokens),
    entities: bounded([...entities].sort()),
    names: bounded([...names].sort()),
    qualifiers: qualifiersOf(tokens),
    directions: bounded(directionsOf(tokens)),
  };
}

/**
 * The reason `a` and `b` must not share a cached answer, or undefined when the guards agree:
 * different numbers, a different count of negations, a name only one of them has (or one
 * name swapped for another), an axis both qualify with different poles, or a conversion
 * turned around ("string to integer" vs "integer to string", reported as a qualifier).
 */
export function featuresConflict(
  a: PromptFeatures,
  b: PromptFeatures,
): FeatureConflict | undefined {
  if (!sameList(a.numbers, b.numbers)) return 'number';
  if (a.negations !== b.negations) return 'negation';
  if (namesConflict(a, b)) return 'entity';
  if (qualifiersConflict(a.qualifiers, b.qualifiers)) return 'qualifier';
  if (a.directions.some((way) => b.directions.includes(reversed(way)))) return 'qualifier';
  return undefined;
}

function sameList(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i]);
}

/**
 * A name any casing reveals must be in the other prompt (as either kind of name); a name
 * only casing reveals may be missing from the other prompt (it may be written in lower
 * case there) but may not be replaced by another one.
 */
function namesConflict(a: PromptFeatures, b: PromptFeatures): boolean {
  const allA = new Set([...a.entities, ...a.names]);
  const allB = new Set([...b.entities, ...b.names]);
  if (a.entities.some((name) => !allB.has(name))) return true;
  if (b.entities.some((name) => !allA.has(name))) return true;
  const onlyA = [...allA].some((name) => !allB.has(name));
  const onlyB = [...allB].some((name) => !allA.has(name));
  return onlyA && onlyB;
}

function qualifiersConflict(a: readonly string[], b: readonly string[]): boolean {
  const axesA = polesByAxis(a);
  const axesB = polesByAxis(b);
  for (const [axis, poles] of axesA) {
    const other = axesB.get(axis);
    if (other !== undefined && other !== poles) return true;
  }
  return false;
}

/** axis → its poles in order ("period" → "year,month"). */
function polesByAxis(qualifiers: readonly string[]): Map<string, string> {
  const axes = new Map<string, string>();
  for (const qualifier of qualifiers) {
    const [axis = '', pole = ''] = qualifier.split(':');
    const poles = axes.get(axis);
    axes.set(axis, poles === undefined ? pole : `${poles},${pole}`);
  }
  return axes;
}

function reversed(direction: string): string {
  const [from = '', to = ''] = direction.split('>');
  return `${to}>${from}`;
}

/** The first MAX_ITEMS - 1 items and a digest of the rest, so that long prompts stay small. */
function bounded(items: string[]): string[] {
  if (items.length <= MAX_ITEMS) return items;
  const rest = items.slice(MAX_ITEMS - 1).join('\u0000');
  let hash = 0x811c9dc5;
  for (let i = 0; i < rest.length; i++) hash = Math.imul(hash ^ rest.charCodeAt(i), 0x01000193);
  return [...items.slice(0, MAX_ITEMS - 1), `#${(hash >>> 0).toString(36)}`];
}

function negationsOf(tokens: string[]): number {
  let count = 0;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] ?? '';
    if (NEGATIONS.has(token) && !NEGATION_IDIOMS.has(`${token}_${tokens[i + 1] ?? ''}`)) count++;
  }
  return count;
}

/** The qualifiers of `tokens`, longest phrase first ("lower case" before "lower"). */
function qualifiersOf(tokens: string[]): string[] {
  const found: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    let key = tokens[i] ?? '';
    let qualifier = QUALIFIERS.get(key);
    let used = 1;
    if (QUALIFIER_PHRASE_STARTS.has(key)) {
      for (let n = 2; n <= QUALIFIER_MAX_WORDS && i + n <= tokens.length; n++) {
        key += `_${tokens[i + n - 1] ?? ''}`;
        const phrase = QUALIFIERS.get(key);
        if (phrase === undefined) continue;
        qualifier = phrase;
        used = n;
      }
    }
    if (qualifier === undefined) continue;
    if (!found.includes(qualifier)) found.push(qualifier);
    i += used - 1;
  }
  return found;
}

/**
 * "X to Y" and "X into Y" after a conversion verb or "from" (within a few words): X is the
 * word before "to", Y the first word after it that is not an article or a possessive.
 */
function directionsOf(tokens: string[]): string[] {
  const found: string[] = [];
  for (let i = 1; i < tokens.length - 1; i++) {
    if (tokens[i] !== 'to' && tokens[i] !== 'into') continue;
    const from = tokens[i - 1] ?? '';
    let j = i + 1;
    while (j < tokens.length && DETERMINERS.has(tokens[j] ?? '')) j++;
    const to = tokens[j] ?? '';
    if (to === '' || isFunctionWord(from) || isFunctionWord(to)) continue;
    const context = tokens.slice(Math.max(0, i - CONVERSION_REACH), i - 1);
    if (!context.some((word) => word === 'from' || CONVERSION_VERBS.has(stem(word)))) continue;
    const direction = `${stem(from)}>${stem(to)}`;
    if (!found.includes(direction)) found.push(direction);
  }
  return found;
}

function namesOf(text: string): { entities: Set<string>; names: Set<string> } {
  const entities = new Set<string>();
  const names = new Set<string>();
  const addKnown = (word: string): void => {
    const known = NAME_ALIASES.get(word) ?? (KNOWN_NAMES.has(word) ? word : undefined);
    if (known !== undefined) entities.add(known);
  };
  NAME_TOKEN.lastIndex = 0;
  for (let match = NAME_TOKEN.exec(text); match !== null; match = NAME_TOKEN.exec(text)) {
    let token = match[0];
    if (APOSTROPHE.test(token)) token = token.replace(POSSESSIVE, '');
    if (PLAIN_LOWER.test(token)) {
      // The common case: a lower-case word is a name only when it is a known one.
      if (token.includes('-')) token.split('-').forEach(addKnown);
      else addKnown(token);
      continue;
    }
    const atStart = sentenceStartAt(text, match.index);
    const parts = /\d/.test(token) && /^\.?\p{L}/u.test(token) ? [token] : token.split('-');
    parts.forEach((part, i) => {
      const kind = nameKind(part, atStart && i === 0);
      if (kind === undefined) return;
      const name = NAME_ALIASES.get(part.toLowerCase()) ?? acronymSingular(part).toLowerCase();
      (kind === 'entity' ? entities : names).add(name);
    });
  }
  if (QUOTE_MARK.test(text)) {
    for (const match of text.matchAll(QUOTED)) {
      const quoted = (match[1] ?? '').toLowerCase().match(WORD) ?? [];
      if (quoted.length > 0 && quoted.length <= 3) names.add(`"${quoted.join(' ')}"`);
    }
  }
  return { entities, names };
}

/** "APIs" → "API": an acronym's plural names the same thing. */
function acronymSingular(word: string): string {
  return /^\p{Lu}{2,}s$/u.test(word) ? word.slice(0, -1) : word;
}

/**
 * "entity" for names any casing shows (known names, letters with digits, code identifiers),
 * "name" for names only casing shows (acronyms, camelCase, a capital inside a sentence).
 */
function nameKind(part: string, atStart: boolean): 'entity' | 'name' | undefined {
  const lower = part.toLowerCase();
  if (NAME_ALIASES.has(lower) || KNOWN_NAMES.has(lower)) return 'entity';
  if (/\d/.test(part) && /^\p{L}/u.test(part)) return 'entity';
  if (/[_+#]/.test(part) || /\p{L}{2}\.\p{L}/u.test(part)) return 'entity';
  if (NOT_NAMES.has(lower) || isFunctionWord(lower)) return undefined;
  const word = acronymSingular(part);
  if (/^\p{Lu}{2,}$/u.test(word) || /\p{Ll}\p{Lu}/u.test(word)) return 'name';
  return /^\p{Lu}/u.test(word) && !atStart ? 'name' : undefined;
}

/** Whether the word at `index` opens a sentence (or the text, a list item or a quote). */
function sentenceStartAt(text: string, index: number): boolean {
  let i = index - 1;
  while (i >= 0 && OPENERS.test(text[i] ?? '')) i--;
  return i < 0 || SENTENCE_END.test(text[i] ?? '');
}
