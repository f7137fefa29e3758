import { forEachTerm, isFunctionWord, nfkcWithin, normalizePrompt, stem } from './prompt-words';

function terms(text: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  forEachTerm(text, (term, weight) => out.push([term, weight]));
  return out;
}

describe(normalizePrompt.name, () => {
  it('lower-cases, spells out contractions and keeps symbol names as words', () => {
    expect(normalizePrompt("I can't, won't, DON'T; you’re Bob's")).toBe(
      'i can not, will not, do not; you are bob',
    );
    expect(normalizePrompt('C++ or C# on .NET with Node.js, e-mail w/o APIs')).toBe(
      ' cpp  or  csharp  on  dotnet  with node, email without api',
    );
  });

  it('applies NFKC, so full-width and ligature forms match plain text', () => {
    expect(normalizePrompt('Ｐｙｔｈｏｎ ﬁle')).toBe('python file');
  });
});

describe(stem.name, () => {
  it.each([
    ['updates', 'updat'],
    ['updated', 'updat'],
    ['updating', 'updat'],
    ['dictionaries', 'dictionary'],
    ['processes', 'process'],
    ['crashes', 'crash'],
    ['running', 'run'],
    ['added', 'add'],
    ['remotely', 'remot'],
    ['analysis', 'analysis'],
    ['api', 'api'],
    ['3rd', '3rd'],
  ])('stems %p to %p', (word, root) => {
    expect(stem(word)).toBe(root);
  });
});

describe(forEachTerm.name, () => {
  it('weights function words near zero, scaffolding low and content words fully', () => {
    expect(terms('Please write the summary')).toEqual([
      ['pleas', 0.35],
      ['writ', 0.35],
      ['the', 0.08],
      ['summary', 1],
    ]);
    expect(isFunctionWord('the')).toBe(true);
    expect(isFunctionWord('summary')).toBe(false);
  });

  it('writes aliases, number words and synonyms one way', () => {
    expect(terms('pls draft 3 js tips').map(([term]) => term)).toEqual(
      terms('please write three javascript advice').map(([term]) => term),
    );
  });
});

describe(nfkcWithin.name, () => {
  it('returns the NFKC text when it fits, undefined when the raw or the normalised text does not', () => {
    expect(nfkcWithin('Ｐｙｔｈｏｎ ﬁle e\u0301', 100)).toBe('Python file \u00e9');
    expect(nfkcWithin('x'.repeat(8_000), 8_000)).toBe('x'.repeat(8_000));
    expect(nfkcWithin('x'.repeat(8_001), 8_000)).toBeUndefined();
    // "ﷺ" is 18 characters in NFKC: 8,000 of them are 144,000.
    expect(nfkcWithin('\ufdfa'.repeat(8_000), 8_000)).toBeUndefined();
    expect(nfkcWithin('\ufdfa'.repeat(400), 8_000)).toHaveLength(7_200);
    // Steps never split a surrogate pair.
    expect(nfkcWithin('😀'.repeat(4_000), 8_000)).toBe('😀'.repeat(4_000));
  });

  it('stops normalising as soon as the bound is passed: the work is ~the bound, not the expansion', () => {
    const normalize = jest.spyOn(String.prototype, 'normalize');
    try {
      expect(nfkcWithin('\ufdfa'.repeat(8_000), 8_000)).toBeUndefined();
      const produced = normalize.mock.results.reduce(
        (sum, result) => sum + String(result.value).length,
        0,
      );
      // At most the bound and one step's expansion (1,024 × 18), never the whole 144,000.
      expect(produced).toBeLessThanOrEqual(8_000 + 1_024 * 18);
    } finally {
      normalize.mockRestore();
    }
  });
});
