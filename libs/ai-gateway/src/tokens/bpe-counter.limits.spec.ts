import { Tiktoken } from 'js-tiktoken/lite';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import o200kBase from 'js-tiktoken/ranks/o200k_base';
import { BpeCounter, CUT_ERROR } from './bpe-counter';
import { adversarial, document } from './adversarial-text.fixtures';
import { counterFor } from './tiktoken-encodings';

/** Generous on a loaded 2-core host: the counter takes milliseconds, HEAD took 15 s for 100 KB. */
const BOUND_MS = 2_000;

describe(`${BpeCounter.name} under adversarial input`, () => {
  describe.each([
    ['o200k_base', o200kBase],
    ['cl100k_base', cl100kBase],
  ] as const)('%s', (name, ranks) => {
    const counter = counterFor(name);
    let reference: Tiktoken | undefined;
    const exact = (text: string): number =>
      (reference ??= new Tiktoken(ranks)).encode(text, [], []).length;

    it('counts 100 KB of one letter in well under a second (it took 15 s)', () => {
      const started = performance.now();
      const tokens = counter.count('a'.repeat(100_000));
      expect(performance.now() - started).toBeLessThan(BOUND_MS);
      // "aaaaaaaa" is one token: 12,500 exactly, within the chunking bound.
      expect(Math.abs(tokens - 12_500)).toBeLessThanOrEqual(CUT_ERROR * 100);
    }, 60_000);

    it('counts 1 MB of one letter, and 100 KB of every adversarial input, in bounded time', () => {
      const texts = { '1 MB of a': 'a'.repeat(1_000_000), ...adversarial(100_000) };
      const slow = Object.entries(texts)
        .map(([input, text]) => {
          const started = performance.now();
          counter.count(text);
          return { input, ms: performance.now() - started };
        })
        .filter((run) => run.ms >= BOUND_MS);
      expect(slow).toEqual([]);
    }, 120_000);

    it(`stays within ${CUT_ERROR} tokens per cut of js-tiktoken's exact count when it cuts`, () => {
      // Small limits, so that inputs js-tiktoken can still count (it is quadratic too) are
      // cut many times: windows of 512 characters, pieces of 64 bytes.
      const small = new BpeCounter(ranks, { windowChars: 512, maxPieceBytes: 64 });
      const outside = Object.entries(adversarial(1_200))
        .map(([input, text]) => {
          const cuts =
            Math.ceil(Buffer.byteLength(text) / (64 - 3)) + Math.floor(text.length / 256);
          return { input, error: Math.abs(small.count(text) - exact(text)), cuts };
        })
        .filter((run) => run.error > CUT_ERROR * run.cuts);
      expect(outside).toEqual([]);
    }, 120_000);

    it('counts text with a safe cut in every window exactly, however small the windows', () => {
      const windowed = new BpeCounter(ranks, { windowChars: 256 });
      for (const size of [300, 5_000, 40_000]) {
        const text = document(size);
        expect(windowed.count(text)).toBe(exact(text));
        expect(counter.count(text)).toBe(exact(text));
      }
    }, 60_000);
  });

  it('keeps no caller text alive through its cache of pieces', () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const counter = new BpeCounter(o200kBase);
    counter.count('warm up');
    gc();
    const before = process.memoryUsage().heapUsed;
    for (let i = 0; i < 40; i++) {
      // A fresh 1 MB text whose first word (20 letters: cached, and long enough to be a
      // slice of the text in V8) is new each time; only its first 2,000 characters are counted.
      const word = `unique${i.toString(36).padStart(4, 'q')}abcdefghij`;
      const text = Buffer.from(
        `${word} ${'lorem ipsum dolor sit amet '.repeat(40_000)}`,
      ).toString();
      counter.count(text.slice(0, 2_000));
    }
    gc();
    // Caching the words as slices kept all 40 texts: +30 MB. Copies keep a few KB.
    expect(process.memoryUsage().heapUsed - before).toBeLessThan(10_000_000);
  }, 60_000);
});
