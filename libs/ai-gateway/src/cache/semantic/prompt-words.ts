import { NUMBER_WORDS } from './prompt-lexicon';

/*
 * Word-level text handling for the local embedder: normalisation, tokens, a light stemmer,
 * a few spelling aliases and synonyms, and a prior on how much a word says about a prompt.
 */

const VOWEL = /[aeiouy]/;
const SIBILANT_ES = /(s|x|z|ch|sh)es$/;

/**
 * A light suffix stripper (plural, -ing, -ed, -ly, final e): enough for "update", "updated"
 * and "updating" to meet; character n-grams cover the rest of the morphology.
 */
export function stem(word: string): string {
  const root = stripSuffix(word);
  return root.length > 4 && root.endsWith('e') ? root.slice(0, -1) : root;
}

function stripSuffix(word: string): string {
  const n = word.length;
  if (n <= 3 || /\d/.test(word)) return word;
  if (word.endsWith('ies') && n > 4) return word.slice(0, -3) + 'y';
  if (SIBILANT_ES.test(word)) return word.slice(0, -2);
  if (word.endsWith('s') && !/(ss|us|is)$/.test(word)) return stripSuffix(word.slice(0, -1));
  if (word.endsWith('ing') && n > 5 && VOWEL.test(word.slice(0, -3))) {
    return undouble(word.slice(0, -3));
  }
  if (word.endsWith('ed') && n > 4 && VOWEL.test(word.slice(0, -2))) {
    return undouble(word.slice(0, -2));
  }
  if (word.endsWith('ly') && n > 5) return word.slice(0, -2);
  return word;
}

/** "runn" → "run", "stopp" → "stop"; "add", "fill" and "pass" keep their double letter. */
function undouble(root: string): string {
  const n = root.length;
  if (n > 3 && root[n - 1] === root[n - 2] && !/[lsz]/.test(root[n - 1] ?? '')) {
    return root.slice(0, -1);
  }
  return root;
}

/**
 * Function words: they carry grammar, not topic. Weighted near zero so that "How do I…" and
 * "What is the way to…" do not decide whether two prompts match.
 */
const FUNCTION_WORDS = new Set(
  (
    'a an the and or but if then so as of to in on at by for with from into onto about than ' +
    'this that these those there here it its is are was were be been being am do does did ' +
    'doing done have has had having i me my mine myself we us our you your yours he him his ' +
    'she her they them their what which who whom whose when where why how can could would ' +
    'should will shall may might must also just very really too some any each every all both ' +
    'such own same via per whether vs versus between'
  ).split(' '),
);

/**
 * Prompt scaffolding: the instruction verbs and courtesies every request repeats ("please
 * write me…", "can you give…"). They matter a little, far less than the topic words.
 */
const SCAFFOLD_STEMS = new Set(
  (
    'please kindly thanks thank hi hello hey help want need like know tell give show write ' +
    'draft create generate make provide produce compose list suggest come explain describe ' +
    'clarify way best good get got let put use using used mean meaning something anything ' +
    'thing question example possible okay ok sure'
  )
    .split(' ')
    .map(stem),
);

export const FUNCTION_WEIGHT = 0.08;
const SCAFFOLD_WEIGHT = 0.35;

/** Contractions spelled out, so "don't" and "do not" give the same words. */
const CONTRACTION = /\b(can't|won't|cannot)\b|n't\b|'(re|m|ll|ve|d|s)\b/g;
const CONTRACTED: Record<string, string> = {
  "can't": 'can not',
  "won't": 'will not',
  cannot: 'can not',
  "n't": ' not',
  re: ' are',
  m: ' am',
  ll: ' will',
  ve: ' have',
  d: ' would',
  s: '',
};

/** Names whose punctuation the tokenizer would otherwise drop ("C++" is not "C"). */
const SYMBOL_NAME = /\bc\+\+|\b[cf]#|(?<!\S)\.net\b|\b([a-z]+)\.js\b|\be-mail|\bw\/o\b/g;
/** Cheap test for SYMBOL_NAME: most prompts have none of these characters. */
const SYMBOL_HINT = /[+#/]|\.(?:js|net)\b|e-mail/;
const SYMBOL_NAMES: Record<string, string> = {
  'c++': ' cpp ',
  'c#': ' csharp ',
  'f#': ' fsharp ',
  '.net': ' dotnet ',
  'e-mail': 'email',
  'w/o': 'without',
};

/** Abbreviations and chat spellings, written out one way. */
const ALIASES = new Map<string, string>(
  Object.entries({
    js: 'javascript',
    ts: 'typescript',
    py: 'python',
    golang: 'go',
    nodejs: 'node',
    postgres: 'postgresql',
    k8s: 'kubernetes',
    dict: 'dictionary',
    dicts: 'dictionaries',
    env: 'environment',
    repo: 'repository',
    db: 'database',
    config: 'configuration',
    dev: 'development',
    prod: 'production',
    info: 'information',
    docs: 'documentation',
    msg: 'message',
    pls: 'please',
    plz: 'please',
    thx: 'thanks',
    u: 'you',
    ur: 'your',
    ppl: 'people',
    whats: 'what',
    hows: 'how',
    dont: 'do not',
    doesnt: 'does not',
    didnt: 'did not',
    isnt: 'is not',
    cant: 'can not',
  }),
);

/** Synonyms common in prompts, by stem: each group meets on its first member. */
const SYNONYMS = new Map<string, string>(
  [
    'write draft compose',
    'change update modify edit alter',
    'remove delete drop erase',
    'error mistake',
    'job position role',
    'manager boss supervisor',
    'colleague coworker teammate',
    'image photo picture photograph',
    'folder directory',
    'short brief',
    'advice tip',
    'salary pay wage compensation',
    'rate score grade assess evaluate',
    'reply respond response',
    'contact reach',
    'buy purchase',
    'explain describe clarify',
  ].flatMap((group) => {
    const [head = '', ...rest] = group.split(' ');
    return rest.map((word): [string, string] => [stem(word), stem(head)]);
  }),
);

const ORDINAL = /^(\d+)(?:st|nd|rd|th)$/;
const WORD = /[\p{L}\p{N}]+|[=!<>&|+*:-]{2,}/gu;
const APOSTROPHES = /[\u2018\u2019\u02bc`]/g;
const ACRONYM_PLURAL = /\b([A-Z]{2,})s\b/g;

/**
 * NFKC, acronym plurals made singular ("APIs" → "api"), lower case, one apostrophe,
 * contractions spelled out, "C++"-like names kept as words, ".js" dropped from library names.
 */
export function normalizePrompt(text: string): string {
  const lower = text
    .normalize('NFKC')
    .replace(ACRONYM_PLURAL, '$1')
    .toLowerCase()
    .replace(APOSTROPHES, "'")
    .replace(CONTRACTION, (match, whole?: string, suffix?: string) =>
      whole !== undefined ? (CONTRACTED[whole] ?? match) : (CONTRACTED[suffix ?? match] ?? match),
    );
  if (!SYMBOL_HINT.test(lower)) return lower;
  return lower.replace(SYMBOL_NAME, (match, library?: string) =>
    library !== undefined ? library : (SYMBOL_NAMES[match.trim()] ?? match),
  );
}

/** Receives a term (stemmed, canonical) and its prior weight. */
export type TermVisitor = (term: string, weight: number) => void;

/** Calls `visit` with each term of `text`, in order. */
export function forEachTerm(text: string, visit: TermVisitor): void {
  for (const token of normalizePrompt(text).match(WORD) ?? []) {
    const alias = ALIASES.get(token) ?? digitsOf(token);
    if (alias === undefined) visitWord(token, visit);
    else for (const word of alias.split(' ')) visitWord(word, visit);
  }
}

/** "five" → "5", "2nd" → "2": numbers one way ("1st" stays "first", a position). */
function digitsOf(token: string): string | undefined {
  const spelled = NUMBER_WORDS.get(token);
  if (spelled !== undefined) return String(spelled);
  const first = token.charCodeAt(0);
  if (first < 0x30 || first > 0x39) return undefined;
  const ordinal = ORDINAL.exec(token);
  if (ordinal === null) return undefined;
  return ordinal[1] === '1' ? 'first' : ordinal[1];
}

function visitWord(word: string, visit: TermVisitor): void {
  const root = stem(word);
  visit(SYNONYMS.get(root) ?? root, wordWeight(word, root));
}

/** True for the grammar words that say nothing about a prompt's topic ("the", "how"). */
export function isFunctionWord(word: string): boolean {
  return FUNCTION_WORDS.has(word);
}

/**
 * The IDF-like prior of a word: near zero for function words, low for prompt scaffolding,
 * one for everything else.
 */
function wordWeight(word: string, root: string): number {
  if (FUNCTION_WORDS.has(word)) return FUNCTION_WEIGHT;
  if (SCAFFOLD_STEMS.has(root)) return SCAFFOLD_WEIGHT;
  return 1;
}

/** Characters normalised per step of {@link nfkcWithin}. */
const NFKC_STEP = 1_024;

/**
 * `text` in NFKC when that holds at most `maxChars` characters, else undefined — found
 * without normalising more than about `maxChars` of output: NFKC can expand a character
 * eighteenfold ("ﷺ"), so an 8,000-character prompt may normalise to 144,000, and every
 * step of the semantic layer after this is linear in that length. The running length is
 * measured in steps (one may split a combining sequence, which changes a count by a few
 * characters, never the result returned: that is one normalisation of the whole text).
 */
export function nfkcWithin(text: string, maxChars: number): string | undefined {
  if (text.length > maxChars) return undefined;
  let length = 0;
  for (let start = 0; start < text.length;) {
    let end = Math.min(text.length, start + NFKC_STEP);
    // Never between the halves of a surrogate pair.
    if (end < text.length && (text.charCodeAt(end) & 0xfc00) === 0xdc00) end++;
    length += text.slice(start, end).normalize('NFKC').length;
    if (length > maxChars) return undefined;
    start = end;
  }
  const normalized = text.normalize('NFKC');
  return normalized.length <= maxChars ? normalized : undefined;
}
