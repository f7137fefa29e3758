import cl100kBase from 'js-tiktoken/ranks/cl100k_base';
import { BpeMerger } from './bpe-merge';

const NO_RANK = Number.MAX_SAFE_INTEGER;

/** The ranks of a js-tiktoken rank file, keyed by bytes as latin1 (as BpeCounter loads them). */
function loadRanks(source: { bpe_ranks: string }): Map<string, number> {
  const ranks = new Map<string, number>();
  for (const line of source.bpe_ranks.split('\n')) {
    const fields = line.split(' ');
    for (let i = 2; i < fields.length; i++) {
      ranks.set(Buffer.from(fields[i], 'base64').toString('latin1'), Number(fields[1]) + i - 2);
    }
  }
  return ranks;
}

/** tiktoken's own algorithm (and the counter's before): scan for the lowest rank, splice. */
function referenceCount(bytes: string, ranks: ReadonlyMap<string, number>): number {
  const parts = Array.from({ length: bytes.length + 1 }, (_, i) => i);
  for (;;) {
    let best = NO_RANK;
    let at = -1;
    for (let i = 0; i + 2 < parts.length; i++) {
      const rank = ranks.get(bytes.slice(parts[i], parts[i + 2])) ?? NO_RANK;
      if (rank < best) {
        best = rank;
        at = i;
      }
    }
    if (at < 0) return parts.length - 1;
    parts.splice(at + 1, 1);
  }
}

/** A Map that counts its lookups. */
class CountingMap extends Map<string, number> {
  lookups = 0;
  override get(key: string): number | undefined {
    this.lookups++;
    return super.get(key);
  }
}

describe(BpeMerger.name, () => {
  const ranks = loadRanks(cl100kBase);
  const longest = Math.max(...[...ranks.keys()].map((token) => token.length));
  const merger = new BpeMerger(ranks, longest, 1_024);
  let seed = 99;
  const next = (n: number): number => {
    seed = (Math.imul(seed, 1_664_525) + 1_013_904_223) >>> 0;
    return seed % n;
  };

  it('merges exactly as tiktoken does (lowest rank first, leftmost on a tie)', () => {
    const alphabets = ['a', 'ab', 'abc', ' \n', '!?.', 'aeiou rst', '0123456789'];
    const pieces: string[] = ['', 'a', 'hello', 'aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa'];
    for (let i = 0; i < 300; i++) {
      const alphabet = alphabets[next(alphabets.length)];
      const length = 1 + next(i < 250 ? 40 : 1_024);
      let piece = '';
      for (let c = 0; c < length; c++) piece += alphabet[next(alphabet.length)];
      pieces.push(piece);
    }
    // Raw bytes too: UTF-8 sequences of non-ASCII text and invalid ones.
    for (let i = 0; i < 50; i++) {
      const bytes = Array.from({ length: 1 + next(200) }, () => next(256));
      pieces.push(Buffer.from(bytes).toString('latin1'));
    }
    pieces.push(Buffer.from('日本語のテキスト🎉'.repeat(20), 'utf8').toString('latin1'));
    const mismatches = pieces.filter((p) => merger.count(p) !== referenceCount(p, ranks));
    expect(mismatches).toEqual([]);
  });

  it('looks ranks up a linear number of times: at most 3 per byte', () => {
    for (const piece of [
      'a'.repeat(1_024),
      '!'.repeat(1_024),
      'ab'.repeat(512),
      ' '.repeat(1_024),
    ]) {
      const counting = new CountingMap(ranks);
      new BpeMerger(counting, longest, 1_024).count(piece);
      expect(counting.lookups).toBeLessThanOrEqual(3 * piece.length);
    }
  });

  it('refuses a piece longer than it was sized for', () => {
    expect(() => merger.count('a'.repeat(1_025))).toThrow(RangeError);
    expect(() => new BpeMerger(ranks, longest, 2 ** 24)).toThrow(RangeError);
  });
});
