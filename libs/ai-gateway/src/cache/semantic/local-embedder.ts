import type { Embedder } from './embedder';
import { FUNCTION_WEIGHT, forEachTerm } from './prompt-words';

/**
 * The local embedder's default size: 1.5 KB per Float32 vector. 256 lost recall on the dev
 * pairs (more hash collisions), 512 and 768 gained nothing; see docs/SEMANTIC_CACHE.md.
 */
export const LOCAL_EMBEDDER_DIMENSIONS = 384;

/**
 * The similarity at or above which a local-embedder neighbour is a hit, when the prompt
 * guards agree as well. Chosen on the dev half of `bench/semantic/pairs.jsonl`: the lowest
 * threshold whose precision is ≥ 0.98 there and at every threshold above it. The curve and
 * the test-half figures are in docs/SEMANTIC_CACHE.md.
 */
export const LOCAL_EMBEDDER_DEFAULT_THRESHOLD = 0.8;

/** Relative weights of the feature families, before L2 normalisation (tuned on dev pairs). */
const UNIGRAM_WEIGHT = 1;
const BIGRAM_WEIGHT = 0.5;
const CHAR_WEIGHT = 1;
const MIN_GRAM = 3;
const MAX_GRAM = 5;

const FNV_PRIME = 0x01000193;
const FNV_OFFSET = 0x811c9dc5;
/** One hash space per feature family, so that a word and a 5-gram never share a feature. */
const SEED_UNIGRAM = Math.imul(FNV_OFFSET ^ 1, FNV_PRIME);
const SEED_BIGRAM = Math.imul(FNV_OFFSET ^ 2, FNV_PRIME);
const SEED_CHAR = Math.imul(FNV_OFFSET ^ 3, FNV_PRIME);
const WORD_START = 0x3c; // '<'
const WORD_END = 0x3e; // '>'

interface TermStat {
  count: number;
  weight: number;
}

/**
 * An offline embedder for the semantic cache, the embedded default: signed feature hashing
 * of stemmed words, of adjacent content-word pairs (word order and phrasing) and of the
 * character 3–5-grams inside each word (typos, inflections), each weighted by a prior that
 * pushes function words ("the", "how") and prompt scaffolding ("please write") down, with
 * sublinear term frequency.
 *
 * It sees words, not meaning: paraphrases that keep their content words match, most
 * synonyms do not, and prompts that differ in one small word look alike. The prompt guards
 * (`prompt-guards.ts`) reject what it cannot tell apart. Deterministic across processes:
 * no random seed, so every gateway instance computes the same vector for the same text.
 */
export class LocalEmbedder implements Embedder {
  readonly id: string;
  readonly dimensions: number;

  constructor(dimensions = LOCAL_EMBEDDER_DIMENSIONS) {
    if (!Number.isInteger(dimensions) || dimensions < 64 || dimensions > 4096) {
      throw new RangeError(`LocalEmbedder dimensions must be an integer in 64..4096`);
    }
    this.dimensions = dimensions;
    this.id = `local-ngram-v1-${dimensions}`;
  }

  embed(text: string): Promise<Float32Array> {
    return Promise.resolve(this.embedSync(text));
  }

  /** The L2-normalised vector of `text`; all zeros when it has no word at all. */
  embedSync(text: string): Float32Array {
    const unigrams = new Map<string, TermStat>();
    const bigrams = new Map<string, TermStat>();
    let previous: string | undefined;
    let previousWeight = 0;
    forEachTerm(text, (term, weight) => {
      count(unigrams, term, weight);
      if (weight <= FUNCTION_WEIGHT) {
        previous = undefined;
        return;
      }
      if (previous !== undefined) {
        count(bigrams, `${previous} ${term}`, Math.sqrt(previousWeight * weight));
      }
      previous = term;
      previousWeight = weight;
    });
    const vector = new Float32Array(this.dimensions);
    for (const [term, { count: n, weight }] of unigrams) {
      const w = weight * tf(n);
      this.add(vector, fnv(SEED_UNIGRAM, term), UNIGRAM_WEIGHT * w);
      if (weight > FUNCTION_WEIGHT) this.addCharGrams(vector, term, CHAR_WEIGHT * w);
    }
    for (const [pair, { count: n, weight }] of bigrams) {
      this.add(vector, fnv(SEED_BIGRAM, pair), BIGRAM_WEIGHT * weight * tf(n));
    }
    return normalize(vector);
  }

  /**
   * The 3–5-grams of `<term>`, hashed incrementally (no substrings), sharing `weight` in
   * squared norm so that a long word does not outweigh a short one.
   */
  private addCharGrams(vector: Float32Array, term: string, weight: number): void {
    const padded = term.length + 2;
    let grams = 0;
    for (let n = MIN_GRAM; n <= MAX_GRAM; n++) grams += Math.max(0, padded - n + 1);
    if (grams === 0) return;
    const share = weight / Math.sqrt(grams);
    for (let start = 0; start + MIN_GRAM <= padded; start++) {
      let h = SEED_CHAR;
      const end = Math.min(padded, start + MAX_GRAM);
      for (let i = start; i < end; i++) {
        const code = i === 0 ? WORD_START : i === padded - 1 ? WORD_END : term.charCodeAt(i - 1);
        h = Math.imul(h ^ code, FNV_PRIME);
        if (i - start + 1 >= MIN_GRAM) this.add(vector, h, share);
      }
    }
  }

  /** Signed hashing: the hash picks the dimension and the sign, so collisions cancel out. */
  private add(vector: Float32Array, hash: number, weight: number): void {
    const h = mix(hash);
    vector[(h & 0x7fffffff) % this.dimensions] += h >>> 31 === 1 ? -weight : weight;
  }
}

/** FNV-1a over the UTF-16 code units of `text`, from `seed`. */
function fnv(seed: number, text: string): number {
  let h = seed;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), FNV_PRIME);
  return h;
}

/** Murmur3's finaliser: spreads FNV's weak low bits over the index and the sign. */
function mix(hash: number): number {
  let h = hash;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Sublinear term frequency: a word said three times is not three times the topic. */
function tf(count: number): number {
  return 1 + Math.log(count);
}

function count(stats: Map<string, TermStat>, key: string, weight: number): void {
  const stat = stats.get(key);
  if (stat === undefined) stats.set(key, { count: 1, weight });
  else stat.count++;
}

function normalize(vector: Float32Array): Float32Array {
  let sum = 0;
  for (let i = 0; i < vector.length; i++) sum += vector[i] * vector[i];
  if (sum === 0) return vector;
  const scale = 1 / Math.sqrt(sum);
  for (let i = 0; i < vector.length; i++) vector[i] *= scale;
  return vector;
}
