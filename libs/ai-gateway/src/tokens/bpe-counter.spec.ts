import { Tiktoken } from 'js-tiktoken/lite';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { BpeCounter } from './bpe-counter';
import { counterFor } from './tiktoken-encodings';

/** Expected counts, taken once from js-tiktoken's `encode(text).length`. */
const KNOWN: ReadonlyArray<[string, number, number]> = [
  // text, cl100k_base, o200k_base
  ['hello world', 2, 2], // the well-known [15339, 1917] in cl100k_base
  ['Hello, world!', 4, 4],
  ['The quick brown fox jumps over the lazy dog.', 10, 10],
  ["I'm sure you'll love it", 7, 5],
  ['   indented\n\n\tcode()', 6, 6],
  ['1234567890', 4, 4], // digits split in runs of three
  ['héllo wörld', 6, 5],
  ['你好，世界', 6, 3],
  ['🎉🎉🎉', 9, 6],
  ['antidisestablishmentarianism', 6, 6],
  ['<|endoftext|>', 7, 7], // a special token's text counts as plain text
];

/** Deterministic text mixing every class the split patterns distinguish. */
function corpus(size: number, asciiOnly = false): string[] {
  const all = [
    'the',
    ' The',
    ' quick',
    'BROWN',
    'FoX',
    "'s",
    "'LL",
    "'re",
    ' don’t',
    '42',
    '12345',
    '3.14159',
    ' ',
    '  ',
    '\t',
    '\n',
    '\r\n',
    '\n\n  ',
    '...',
    ' (',
    ')',
    '{"a":1}',
    '//',
    ' /path/to/file.ts',
    'é',
    'Ünïcödé',
    'naïve',
    '日本語',
    '你好',
    'Привет',
    'مرحبا',
    'ह',
    '🎉',
    '👩‍💻',
    'e\u0301',
    '\u00a0',
    'x_y',
    'camelCaseWord',
    'snake_case',
    '#',
    '$$',
    '!!!',
    'aaaaaaaaaaaaaaaaaaaa',
    'ZXhhbXBsZSBiYXNlNjQ=',
    '<|endoftext|>',
    ' <tag attr="v">',
  ];

  const atoms = asciiOnly ? all.filter((atom) => /^[\x00-\x7f]*$/.test(atom)) : all;
  let seed = 12_345;
  const next = (n: number): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed % n;
  };
  const texts: string[] = [];
  for (let i = 0; i < size; i++) {
    let text = '';
    const parts = 1 + next(60);
    for (let p = 0; p < parts; p++) text += atoms[next(atoms.length)];
    texts.push(text);
  }
  return texts;
}

describe(BpeCounter.name, () => {
  const encodings = [
    ['cl100k_base', cl100kBase, 1],
    ['o200k_base', o200kBase, 2],
  ] as const;

  describe.each(encodings)('%s', (name, ranks, column) => {
    const counter = counterFor(name);
    let built: Tiktoken | undefined;
    const jsTiktoken = (): Tiktoken => (built ??= new Tiktoken(ranks));

    it('loads the whole vocabulary from the bundled ranks', () => {
      expect(counter.vocabularySize).toBe(name === 'o200k_base' ? 199_998 : 100_256);
    });

    it.each(KNOWN.map((row) => [row[0], row[column]] as const))(
      'counts %j as %i tokens',
      (text, expected) => {
        expect(counter.count(text)).toBe(expected);
      },
    );

    it('counts a document with a few non-ASCII lines exactly as js-tiktoken does', () => {
      const lines = [
        '# Résumé',
        'Senior engineer — 8 years of Node.js.',
        '/usr/local/bin and // comments',
        '  indented line  ',
        '',
        'Skills: TypeScript, PostgreSQL, Redis 🚀',
        '.',
        "It's done.",
      ];
      for (const separator of ['\n', '\r\n', '\n\n', ' \n/']) {
        const text = lines.join(separator);
        expect(counter.count(text)).toBe(jsTiktoken().encode(text, [], []).length);
      }
    });

    it('counts nothing in an empty string', () => {
      expect(counter.count('')).toBe(0);
    });

    it.each([
      ['mixed-script', false],
      ['ASCII-only', true],
    ])("agrees with js-tiktoken's encode() on 400 %s texts", (_kind, asciiOnly) => {
      const reference = jsTiktoken();
      const texts = corpus(400, asciiOnly);
      const mismatches = texts.filter(
        (text) => counter.count(text) !== reference.encode(text, [], []).length,
      );
      expect(mismatches).toEqual([]);
      // Again, now that merged pieces come from the cache.
      expect(texts.map((t) => counter.count(t))).toEqual(
        texts.map((t) => reference.encode(t, [], []).length),
      );
    });
  });

  it('builds one counter per encoding and reuses it', () => {
    expect(counterFor('o200k_base')).toBe(counterFor('o200k_base'));
    expect(counterFor('o200k_base')).not.toBe(counterFor('cl100k_base'));
  });

  it('falls back to the Unicode pattern for a pattern it cannot rewrite to ASCII', () => {
    const counter = new BpeCounter({
      pat_str: String.raw`\p{Lu}+|\p{Ll}+|\s+|.`,
      bpe_ranks: `! 0 ${['a', 'b', 'A', ' ', 'ab'].map((t) => Buffer.from(t).toString('base64')).join(' ')}`,
    });
    expect(counter.vocabularySize).toBe(5);
    // "ab" is one token, "abab" is two, "A" one, " " one.
    expect(counter.count('abab A')).toBe(4);
  });
});
