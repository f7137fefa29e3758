import { findEncodedPayloads } from './injection-decode';
import { foldHomoglyphs } from './injection-homoglyphs';
import type { DecodedPayload } from './injection-decode';

export type { DecodedPayload, PayloadKind } from './injection-decode';

/** How the text tried to hide what it says: each is a signal in itself. */
export interface ObfuscationFlags {
  /** Invisible characters removed (zero-width, bidi controls, soft hyphens, tag characters). */
  invisible: number;
  /** Of those, how many sat between two Latin letters (splitting a word so a filter misses it). */
  invisibleInWords: number;
  /** Words mixing Latin letters with Cyrillic or Greek look-alikes (`іgnоrе`). */
  mixedScriptWords: number;
  /** Fullwidth, mathematical or enclosed letters that NFKC turned into plain ones. */
  compatLetters: boolean;
  /** Runs of spaced-out letters (`i g n o r e`) collapsed into words. */
  spacedRuns: number;
  /** Words written with digits or symbols for letters (`1gn0r3`) read as letters. */
  leetWords: number;
}

/**
 * The views of one text the rules are run on, all lowercase. `base` keeps the offsets of the
 * NFKC text (invisibles removed) so a match can be looked at in context; the other views are
 * only read for what they say.
 */
export interface NormalizedText {
  /** NFKC, invisibles removed, lowercase, typographic quotes and dashes made ASCII. */
  base: string;
  /** `base` with Cyrillic/Greek look-alikes read as Latin, or null when nothing changed. */
  folded: string | null;
  /**
   * The lines where spaced letters, leetspeak or joined words were read as words (only those
   * lines), or null when nothing changed.
   */
  despaced: string | null;
  /** Encoded runs (base64, hex, URL, entities, escapes, tag characters, rot13, reversed). */
  decoded: DecodedPayload[];
  flags: ObfuscationFlags;
}

/**
 * Zero-width and other invisible format characters, bidi controls (Trojan Source), the soft
 * hyphen and the combining grapheme joiner. Tag characters are astral and handled apart.
 */
const INVISIBLE =
  /[\u00AD\u034F\u061C\u180E\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
/**
 * A run of tag characters (U+E0000–U+E007F: invisible, each mirroring an ASCII character),
 * with the black flag (U+1F3F4) before it if there is one: then it spells a flag's region.
 */
const TAG_RUN = /(\uD83C\uDFF4)?((?:\uDB40[\uDC00-\uDC7F])+)/g;
/** The cancel tag (U+E007F) that ends an emoji flag's region, and the longest region. */
const CANCEL_TAG = '\uDB40\uDC7F';
const MAX_FLAG_REGION = 14;
/** Most tag characters read as a payload (a megabyte of them is not all decoded). */
const MAX_TAG_PAYLOAD = 8192;
/** An invisible character (or tag character) between two Latin letters. */
const INVISIBLE_IN_WORD =
  /[A-Za-z](?:[\u00AD\u034F\u180E\u200B-\u200F\u2060-\u2064\uFEFF]|\uDB40[\uDC00-\uDC7F])+(?=[A-Za-z])/g;
/** Letters NFKC folds to ASCII: fullwidth, mathematical alphanumerics, enclosed letters. */
const COMPAT_LETTER = /[\uFF21-\uFF3A\uFF41-\uFF5A\u24B6-\u24E9]|\uD835[\uDC00-\uDFFF]/;
const NON_ASCII = /[^\x00-\x7F]/;

/** Typographic punctuation read as ASCII, one character for one so offsets hold. */
const PUNCTUATION: Readonly<Record<string, string>> = {
  '\u2018': "'",
  '\u2019': "'",
  '\u201A': "'",
  '\u201B': "'",
  '\u2032': "'",
  '\u201C': '"',
  '\u201D': '"',
  '\u201E': '"',
  '\u201F': '"',
  '\u00AB': '"',
  '\u00BB': '"',
  '\u2033': '"',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2013': '-',
  '\u2014': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u00A0': ' ',
};
const TYPOGRAPHIC =
  /[\u2018\u2019\u201A\u201B\u2032\u201C-\u201F\u00AB\u00BB\u2033\u2010-\u2015\u2212\u00A0]/g;

/**
 * Three or more single letters, each followed by the same kind of one-character separator
 * (`i g n o r e`, `i.g.n.o.r.e`, `i-g-n-o-r-e`). Single separators between letters and
 * letter-only runs keep it linear.
 */
const SPACED_RUN = /(?<![a-z0-9])[a-z](?:[ ._*+|\/-][a-z](?![a-z0-9])){2,}/g;
/** Three or more words joined by `-`, `_`, `.`, `+` or `/` (`ignore-all-previous-instructions`). */
const JOINED_WORDS = /(?<![a-z0-9])[a-z]{2,}(?:[-_.+\/][a-z]{2,}){2,}(?![a-z0-9])/g;
/** Longest spaced run collapsed (a word list is segmented; more is noise or an attack on us). */
const MAX_SPACED_RUN = 400;
/** A word written partly in digits or symbols: letters and at least one leet character. */
const LEET_WORD = /(?<![\w@$])(?:[a-z]+[0-9@$]|[0-9@$]+[a-z])[a-z0-9@$]*(?![\w@$])/g;
const LEET: ReadonlyMap<string, string> = new Map(
  '0o 1i 3e 4a 5s 7t 8b 9g @a $s'.split(' ').map((pair) => [pair[0], pair[1]]),
);
/** Where leetspeak may be: a letter next to a digit, `@` or `$`. */
const LEET_HINT = /[a-z][0-9@$]|[0-9@$][a-z]/;
/** Leet words and spaced runs read at most (a megabyte of them is not all rewritten). */
const MAX_REWRITES = 2000;

/**
 * The words an attack is made of, for reading a collapsed run without spaces
 * (`i g n o r e a l l p r e v i o u s` → `ignore all previous`), longest first.
 */
const ATTACK_WORDS: readonly string[] = (
  'instructions instruction restrictions guidelines disregard previous directives everything ' +
  'developer programming override reveal system prompt ignore forget earlier before above ' +
  'prior rules filters print repeat secret password delete execute command now mode you your ' +
  'are all the and any tell me show send dan new no act as an do anything to of is what say my'
)
  .split(' ')
  .sort((a, b) => b.length - a.length);

/** Words whose leetspeak spelling gives a text its leet reading. */
const LEET_VOCABULARY: ReadonlySet<string> = new Set([
  ...ATTACK_WORDS.filter((w) => w.length >= 3),
  ...(
    'ignoring jailbreak jailbroken unfiltered uncensored unrestricted hack hacked pwned bypass ' +
    'admin access passwords credentials keys key confidential hidden initial original policy ' +
    'filter safety bomb weapon malware steal leak exploit'
  ).split(' '),
]);

/** Normalizes `text` into the views the rules read, and reports how it was disguised. */
export function normalizeForDetection(text: string): NormalizedText {
  const flags = noFlags();
  const visible = stripInvisible(text, flags);
  const nfkc = visible.text.normalize('NFKC');
  flags.compatLetters = COMPAT_LETTER.test(visible.text);
  const base = nfkc.toLowerCase().replace(TYPOGRAPHIC, (c) => PUNCTUATION[c] ?? c);
  const folded = foldHomoglyphs(base, flags);
  const despaced = despace(folded ?? base, flags);
  const decoded = findEncodedPayloads(nfkc, base, visible.tagPayload).map((payload) => ({
    ...payload,
    text: readable(payload.text),
  }));
  return { base, folded, despaced, decoded, flags };
}

function noFlags(): ObfuscationFlags {
  return {
    invisible: 0,
    invisibleInWords: 0,
    mixedScriptWords: 0,
    compatLetters: false,
    spacedRuns: 0,
    leetWords: 0,
  };
}

/** One decoded payload made readable the way the text is: NFKC, lowercase, folded, despaced. */
function readable(text: string): string {
  const ignored = noFlags();
  const base = stripInvisible(text, ignored)
    .text.normalize('NFKC')
    .toLowerCase()
    .replace(TYPOGRAPHIC, (c) => PUNCTUATION[c] ?? c);
  const folded = foldHomoglyphs(base, ignored) ?? base;
  return despace(folded, ignored) ?? folded;
}

/**
 * Removes invisible characters, counting them and those inside words. Tag characters are
 * kept apart as the ASCII they mirror ("ASCII smuggling"), except in emoji flag sequences
 * (🏴 then tags spells a region: `gbeng`), which are what tag characters are for.
 */
function stripInvisible(
  text: string,
  flags: ObfuscationFlags,
): { text: string; tagPayload: string } {
  if (!NON_ASCII.test(text)) return { text, tagPayload: '' };
  flags.invisibleInWords += countInWords(text);
  let tagPayload = '';
  let stripped = text.replace(TAG_RUN, (_run, flag: string | undefined, tags: string) => {
    flags.invisible += tags.length / 2;
    // A flag's region is a few tags ended by the cancel tag; what follows is smuggled text.
    const end = flag ? tags.indexOf(CANCEL_TAG) : -1;
    const from = end >= 0 && end <= MAX_FLAG_REGION ? end + CANCEL_TAG.length : 0;
    for (let i = from + 1; i < tags.length && tagPayload.length < MAX_TAG_PAYLOAD; i += 2) {
      tagPayload += String.fromCharCode(tags.charCodeAt(i) - 0xdc00);
    }
    return flag ?? '';
  });
  stripped = stripped.replace(INVISIBLE, () => {
    flags.invisible++;
    return '';
  });
  return { text: stripped, tagPayload };
}

function countInWords(text: string): number {
  let count = 0;
  for (const _ of text.matchAll(INVISIBLE_IN_WORD)) count++;
  return count;
}

/** Collapses spaced-out letters and reads leetspeak; null when neither was there. */
function despace(text: string, flags: ObfuscationFlags): string | null {
  let runs = 0;
  let out = text.replace(SPACED_RUN, (run) => {
    if (run.length > MAX_SPACED_RUN || ++runs > MAX_REWRITES) return run;
    flags.spacedRuns++;
    return ` ${segment(run.replace(/[^a-z]/g, ''))} `;
  });
  let changed = runs > 0;
  let joined = 0;
  out = out.replace(JOINED_WORDS, (run) => {
    const words = run.split(/[-_.+\/]/);
    if (++joined > MAX_REWRITES || !words.some((w) => w.length >= 5 && LEET_VOCABULARY.has(w))) {
      return run;
    }
    changed = true;
    return words.join(' ');
  });
  // Leetspeak is read only where it spells words attacks are made of: `h264` or `mp3` stay,
  // and ordinary text with version numbers does not get a second reading to scan.
  if (LEET_HINT.test(out)) {
    let leet = 0;
    let seen = 0;
    const read = out.replace(LEET_WORD, (word) => {
      if (++seen > MAX_REWRITES || word.length > 24) return word;
      const letters = readLeet(word);
      if (LEET_VOCABULARY.has(letters)) leet++;
      return letters;
    });
    if (leet > 0) {
      flags.leetWords += leet;
      out = read;
      changed = true;
    }
  }
  return changed ? changedLines(text, out) : null;
}

/**
 * The lines of `rewritten` that differ from `text` (rewriting never adds or removes a line):
 * the disguised reading is scanned only where there was a disguise.
 */
function changedLines(text: string, rewritten: string): string | null {
  const before = text.split('\n');
  const lines = rewritten.split('\n').filter((line, i) => line !== before[i]);
  return lines.length > 0 ? lines.join('\n') : null;
}

/** A leet word read as letters; `1` is `i` or `l`, whichever spells a word attacks use. */
function readLeet(word: string): string {
  const asI = word.replace(/[0-9@$]/g, (c) => LEET.get(c) ?? c);
  if (!word.includes('1') || LEET_VOCABULARY.has(asI)) return asI;
  const asL = word.replace(/[0-9@$]/g, (c) => (c === '1' ? 'l' : (LEET.get(c) ?? c)));
  return LEET_VOCABULARY.has(asL) ? asL : asI;
}

/** Splits a run of letters into attack words where it can (greedy, longest word first). */
function segment(letters: string): string {
  const words: string[] = [];
  let pending = '';
  let i = 0;
  while (i < letters.length) {
    const word = ATTACK_WORDS.find((w) => letters.startsWith(w, i));
    if (word === undefined) {
      pending += letters[i];
      i++;
      continue;
    }
    if (pending) words.push(pending);
    pending = '';
    words.push(word);
    i += word.length;
  }
  if (pending) words.push(pending);
  return words.join(' ');
}
