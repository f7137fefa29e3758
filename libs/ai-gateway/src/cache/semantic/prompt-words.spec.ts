import { forEachTerm, isFunctionWord, normalizePrompt, stem } from './prompt-words';

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
