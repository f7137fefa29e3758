import { cosine } from './embedder';
import {
  LOCAL_EMBEDDER_DEFAULT_THRESHOLD,
  LOCAL_EMBEDDER_DIMENSIONS,
  LocalEmbedder,
} from './local-embedder';

const embedder = new LocalEmbedder();
const similarity = (a: string, b: string): number =>
  cosine(embedder.embedSync(a), embedder.embedSync(b));
const norm = (v: Float32Array): number => Math.sqrt(cosine(v, v));

const QUESTION = 'How do I flatten a nested list in Python?';

describe(LocalEmbedder.name, () => {
  it('names its version and size, and makes vectors of that size', () => {
    expect(LOCAL_EMBEDDER_DIMENSIONS).toBe(384);
    expect(embedder.id).toBe('local-ngram-v1-384');
    expect(embedder.dimensions).toBe(384);
    expect(embedder.embedSync(QUESTION)).toHaveLength(384);

    const small = new LocalEmbedder(256);
    expect(small.id).toBe('local-ngram-v1-256');
    expect(small.embedSync(QUESTION)).toHaveLength(256);
  });

  it.each([0, 63, 100.5, 4097])('refuses %p dimensions', (dimensions) => {
    expect(() => new LocalEmbedder(dimensions)).toThrow(RangeError);
  });

  it('returns L2-normalised vectors', () => {
    for (const text of [QUESTION, 'a', 'SELECT * FROM users', 'Résumé tips — für Anfänger']) {
      expect(norm(embedder.embedSync(text))).toBeCloseTo(1, 5);
    }
  });

  it('returns the zero vector for text without words', () => {
    for (const text of ['', '   ', '?!...']) {
      const vector = embedder.embedSync(text);
      expect(vector.every((x) => x === 0)).toBe(true);
    }
  });

  it('resolves embed() to the vector of embedSync()', async () => {
    await expect(embedder.embed(QUESTION)).resolves.toEqual(embedder.embedSync(QUESTION));
  });

  it('gives the same vector in every process: pinned values, no per-process seed', () => {
    // If this changes, stored vectors no longer match new ones: bump the id's version.
    const vector = new LocalEmbedder().embedSync('Write a cover letter for a senior accountant.');
    expect(vector[133]).toBeCloseTo(-0.397967, 5);
    expect(vector[212]).toBeCloseTo(0.339556, 5);
    expect(vector[358]).toBeCloseTo(-0.339556, 5);
    expect(vector[365]).toBeCloseTo(0.339556, 5);
  });

  it('ignores casing, punctuation, word order around function words and contractions', () => {
    expect(similarity(QUESTION, 'how do i flatten a nested list in python')).toBeCloseTo(1, 5);
    expect(similarity(QUESTION, 'In Python, how do I flatten a nested list?')).toBeCloseTo(1, 5);
    expect(similarity("Don't use loops", 'Do not use loops')).toBeCloseTo(1, 5);
  });

  it('barely moves for politeness, chat spelling and instruction-verb synonyms', () => {
    expect(similarity(QUESTION, 'pls how do i flatten a nested list in python')).toBeGreaterThan(
      0.97,
    );
    expect(
      similarity(QUESTION, 'Please, how do I flatten a nested list in Python? Thanks!'),
    ).toBeGreaterThan(0.95);
    expect(
      similarity(
        'Write a cover letter for an accountant position.',
        'Draft a cover letter for an accountant job.',
      ),
    ).toBeCloseTo(1, 5);
  });

  it('keeps a misspelt word closer than another word, through its character n-grams', () => {
    const typo = similarity(
      'What are the benefits of unit testing?',
      'What are the benifits of unit testing?',
    );
    const otherWord = similarity(
      'What are the benefits of unit testing?',
      'What are the drawbacks of unit testing?',
    );
    expect(typo).toBeGreaterThan(0.74);
    expect(otherWord).toBeLessThan(0.72);
  });

  it('puts a one-word change of topic below the default threshold', () => {
    expect(similarity(QUESTION, 'How do I shuffle a nested list in Python?')).toBeLessThan(
      LOCAL_EMBEDDER_DEFAULT_THRESHOLD,
    );
    expect(
      similarity(
        'Write a cover letter for an accountant position.',
        'Write a resignation letter for an accountant position.',
      ),
    ).toBeLessThan(LOCAL_EMBEDDER_DEFAULT_THRESHOLD);
  });

  it('scores unrelated prompts near zero', () => {
    expect(
      Math.abs(similarity(QUESTION, 'Give me a weekly workout plan for beginners.')),
    ).toBeLessThan(0.15);
  });

  it('spends less weight on function words than on content words', () => {
    const functionWordsDiffer = similarity('the price of the house', 'a price for a house');
    const contentWordDiffers = similarity('the price of the house', 'the price of the car');
    expect(functionWordsDiffer).toBeGreaterThan(0.95);
    expect(contentWordDiffers).toBeLessThan(0.8);
  });
});
