/** Deterministic texts for the counter's specs: adversarial runs and ordinary documents. */

export function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return state % n;
  };
}

function fromPool(pool: string, size: number, seed: number): string {
  const chars = [...pool];
  const next = random(seed);
  let text = '';
  while (text.length < size) text += chars[next(chars.length)];
  return text;
}

/** Inputs that hit one weakness each: long pieces, long pattern runs, no safe cut. */
export function adversarial(size: number): Record<string, string> {
  const next = random(7);
  const bytes = Buffer.from(Array.from({ length: size }, () => next(256)));
  const repeat = (unit: string): string => unit.repeat(Math.ceil(size / unit.length));
  return {
    'a run': repeat('a'),
    'A run': repeat('A'),
    'é run': repeat('é'),
    '! run': repeat('!'),
    '!? mixed': fromPool('!?', size, 3),
    punctuation: fromPool('!"#$%&()*+,-./:;<=>?@[]^_`{|}~', size, 5),
    'digit run': repeat('7'),
    'space run': `${' '.repeat(size - 1)}x`,
    'newline run': repeat('\n'),
    'whitespace mix': fromPool(' \n\r\t', size, 17),
    'aA alternating': repeat('aA'),
    'abc… periodic': repeat('abcdefghij'),
    'CJK run': repeat('中'),
    'emoji run': repeat('😀'),
    'ZWJ sequence': repeat('👩\u200d💻'),
    'combining marks': repeat('\u0301'),
    'RTL letters': fromPool('مرحباשלוםعالم', size, 23),
    'zero-width joiners': repeat('\u200d'),
    'lone surrogates': repeat('\ud800'),
    'random bytes as UTF-8': bytes.toString('utf8'),
    'random bytes as latin1': bytes.toString('latin1'),
  };
}

/** Prose, code and data with non-ASCII words: every window has a safe cut. */
export function document(size: number): string {
  const words = [
    'the',
    'Quick',
    'brown',
    "fox's",
    "we'll",
    'naïve',
    'café',
    'Привет',
    '日本語',
    '12345',
    '3.14',
    '(x)',
    '{"a": [1, 2]}',
    '//',
    '/usr/bin',
    '🎉',
    'x_y',
    'CamelCase',
    'e\u0301',
    '—',
    '...',
    'don’t',
    'ALLCAPS',
    '#',
    '$$',
    '<|endoftext|>',
  ];
  const separators = [' ', ' ', ' ', '  ', '\n', '\n\n', '\r\n', ', ', '. ', '\t', ' \n/'];
  const next = random(41);
  let text = '';
  while (text.length < size) {
    text += words[next(words.length)] + separators[next(separators.length)];
  }
  return text;
}
