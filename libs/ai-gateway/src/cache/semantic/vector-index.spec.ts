import { cosine } from './embedder';
import { ScopeVectorIndex } from './vector-index';

/** mulberry32: a seeded uniform draw, so every run sees the same vectors. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = Math.imul(state ^ (state >>> 15), state | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** Uniform random unit vectors (normalised Gaussians). */
function unitVectors(random: () => number, dims: number) {
  const gauss = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return (): Float32Array => {
    const v = new Float32Array(dims);
    let norm = 0;
    for (let i = 0; i < dims; i++) {
      v[i] = gauss();
      norm += v[i] * v[i];
    }
    const scale = 1 / Math.sqrt(norm);
    for (let i = 0; i < dims; i++) v[i] *= scale;
    return v;
  };
}

/** A unit vector whose cosine with `base` is exactly `similarity` (up to float rounding). */
function nearDuplicate(base: Float32Array, similarity: number, noise: Float32Array): Float32Array {
  const along = cosine(noise, base);
  const orthogonal = noise.map((x, i) => x - along * base[i]);
  const scale = Math.sqrt(1 - similarity * similarity) / Math.sqrt(cosine(orthogonal, orthogonal));
  return base.map((x, i) => similarity * x + scale * orthogonal[i]);
}

const axis = (dims: number, at: number, weight = 1): Float32Array => {
  const v = new Float32Array(dims);
  v[at] = weight;
  return v;
};

describe(ScopeVectorIndex.name, () => {
  describe('exact scan', () => {
    it('returns the most similar entry with its cosine, and nothing when empty', () => {
      const index = new ScopeVectorIndex({ dimensions: 3, annFrom: Infinity });
      expect(index.nearest(axis(3, 0))).toBeUndefined();
      index.add(10, axis(3, 0));
      index.add(11, new Float32Array([0.6, 0.8, 0]));
      index.add(12, axis(3, 2));
      expect(index.nearest(new Float32Array([0.8, 0.6, 0]))).toEqual({
        id: 11,
        similarity: expect.closeTo(0.96, 6),
      });
      expect(index.nearest(axis(3, 2))).toEqual({ id: 12, similarity: 1 });
      expect(index.size).toBe(3);
      expect(index.approximate).toBe(false);
    });

    it('replaces the vector of an id stored again, keeping one entry', () => {
      const index = new ScopeVectorIndex({ dimensions: 2, annFrom: Infinity });
      index.add(1, axis(2, 0));
      index.add(2, axis(2, 1));
      index.add(1, axis(2, 1));
      expect(index.size).toBe(2);
      expect(index.nearest(axis(2, 0))?.similarity).toBe(0);
    });

    it('keeps every other entry findable after a swap-remove, across growth of the slab', () => {
      const dims = 5; // not a multiple of four: the unrolled loop's tail counts too
      const next = unitVectors(seeded(7), dims);
      const index = new ScopeVectorIndex({ dimensions: dims, annFrom: Infinity, capacity: 2 });
      const vectors = new Map<number, Float32Array>();
      for (let id = 0; id < 40; id++) {
        const v = next();
        vectors.set(id, v);
        index.add(id, v);
      }
      for (let id = 0; id < 40; id += 3) {
        expect(index.remove(id)).toBe(true);
        vectors.delete(id);
      }
      expect(index.remove(0)).toBe(false);
      expect(index.size).toBe(26);
      expect(index.has(3)).toBe(false);
      expect(index.has(4)).toBe(true);
      for (const [id, v] of vectors) {
        const found = index.nearest(v);
        expect(found?.id).toBe(id);
        expect(found?.similarity).toBeCloseTo(1, 5);
      }
    });

    it('rejects vectors of another length and ids usearch cannot key', () => {
      const index = new ScopeVectorIndex({ dimensions: 4 });
      expect(() => index.add(1, new Float32Array(3))).toThrow(RangeError);
      expect(() => index.nearest(new Float32Array(5))).toThrow(RangeError);
      expect(() => index.add(-1, new Float32Array(4))).toThrow(RangeError);
      expect(() => index.add(1.5, new Float32Array(4))).toThrow(RangeError);
      expect(() => new ScopeVectorIndex({ dimensions: 0 })).toThrow(RangeError);
    });

    it('defaults the graph threshold to a million multiply-adds per scan', () => {
      expect(new ScopeVectorIndex({ dimensions: 512 }).annFrom).toBe(1_954);
      expect(new ScopeVectorIndex({ dimensions: 256 }).annFrom).toBe(3_907);
      expect(new ScopeVectorIndex({ dimensions: 1_536 }).annFrom).toBe(652);
    });
  });

  describe('graph', () => {
    const DIMS = 32;

    function filled(count: number, annFrom: number, seed = 1) {
      const next = unitVectors(seeded(seed), DIMS);
      const index = new ScopeVectorIndex({ dimensions: DIMS, annFrom });
      const vectors: Float32Array[] = [];
      for (let id = 0; id < count; id++) {
        vectors.push(next());
        index.add(id, vectors[id]);
      }
      return { index, vectors, next };
    }

    it('is built in steps once the threshold is reached, answering by scan until complete', () => {
      const { index, vectors, next } = filled(99, 100);
      expect(index.approximate).toBe(false);
      const bytesBefore = index.approxBytes();
      index.add(99, next());
      expect(index.approxBytes()).toBeGreaterThan(bytesBefore);
      // 100 entries behind, 4 inserted per add and one more behind each time: 96 − 3 × 31 = 3.
      for (let id = 100; id <= 130; id++) index.add(id, next());
      expect(index.approximate).toBe(false);
      index.add(131, next());
      expect(index.approximate).toBe(true);
      expect(index.nearest(vectors[42])).toEqual({ id: 42, similarity: expect.closeTo(1, 5) });
    });

    it('follows replacements and removals, and gives up the graph when the scope shrinks', () => {
      const { index, vectors } = filled(200, 100);
      expect(index.approximate).toBe(true);
      index.add(5, vectors[6]);
      index.remove(6);
      expect(index.approximate).toBe(true);
      expect(index.has(6)).toBe(false);
      // Id 5's old node is still in the graph: it is scored against 5's new vector.
      expect(index.nearest(vectors[6])).toEqual({ id: 5, similarity: expect.closeTo(1, 5) });
      expect(index.nearest(vectors[5])?.id).not.toBe(5);
      for (let id = 7; id < 157; id++) index.remove(id);
      expect(index.size).toBe(49);
      expect(index.approximate).toBe(false);
      expect(index.nearest(vectors[160])).toEqual({ id: 160, similarity: expect.closeTo(1, 5) });
    });

    it('rebuilds a stale graph beside the serving one when the oldest entry leaves for each new one', () => {
      const LIVE = 300;
      const CHURN = 3_000;
      const { index, vectors, next } = filled(LIVE, 100, 3);
      expect(index.approximate).toBe(true);
      const bytesFull = index.approxBytes();
      let peakBytes = bytesFull;
      let servedByGraph = 0;
      for (let id = LIVE; id < LIVE + CHURN; id++) {
        index.remove(id - LIVE);
        vectors.push(next());
        index.add(id, vectors[id]);
        peakBytes = Math.max(peakBytes, index.approxBytes());
        if (index.approximate) servedByGraph++;
      }
      expect(index.size).toBe(LIVE);
      expect(servedByGraph).toBe(CHURN);
      // Without rebuilds the graph would hold 3,300 nodes, 11 per live entry; with them the
      // serving and the new graph together stay near 3.3 per live entry.
      expect(peakBytes).toBeLessThan(bytesFull * 3);
      let found = 0;
      for (let id = CHURN; id < CHURN + LIVE; id++) {
        if (index.nearest(vectors[id])?.id === id) found++;
      }
      expect(found).toBe(LIVE);
      expect(index.nearest(vectors[0])!.id).toBeGreaterThanOrEqual(CHURN);
    });

    it('finds ≥ 99 % of planted near-duplicates among 20,000 vectors, as the exact scan does', () => {
      const COUNT = 20_000;
      const { index, vectors } = filled(COUNT, 1_000, 2024);
      const exact = new ScopeVectorIndex({ dimensions: DIMS, annFrom: Infinity });
      vectors.forEach((v, id) => exact.add(id, v));
      expect(index.approximate).toBe(true);

      const random = seeded(99);
      const noise = unitVectors(seeded(100), DIMS);
      let found = 0;
      let agreed = 0;
      for (let q = 0; q < 200; q++) {
        const partner = Math.floor(random() * COUNT);
        const query = nearDuplicate(vectors[partner], 0.9 + 0.09 * random(), noise());
        const approximate = index.nearest(query);
        const scanned = exact.nearest(query);
        if (approximate?.id === partner) found++;
        if (approximate?.id === scanned?.id && approximate?.similarity === scanned?.similarity) {
          agreed++;
        }
      }
      expect(found).toBeGreaterThanOrEqual(198);
      expect(agreed).toBeGreaterThanOrEqual(198);

      // Unrelated queries: the similarity returned is the exact cosine of the entry returned.
      for (let q = 0; q < 50; q++) {
        const query = noise();
        const approximate = index.nearest(query)!;
        expect(approximate.similarity).toBeCloseTo(cosine(query, vectors[approximate.id]), 5);
        expect(approximate.similarity).toBeLessThanOrEqual(exact.nearest(query)!.similarity);
      }
    });
  });

  it('clear() forgets every entry and the graph', () => {
    const index = new ScopeVectorIndex({ dimensions: 2, annFrom: 2 });
    index.add(1, axis(2, 0));
    index.add(2, axis(2, 1));
    index.add(3, axis(2, 1, -1));
    expect(index.approximate).toBe(true);
    index.clear();
    expect(index.size).toBe(0);
    expect(index.approximate).toBe(false);
    expect(index.nearest(axis(2, 0))).toBeUndefined();
    expect(index.approxBytes()).toBe(1 * 2 * 4 + 1 * 8);
  });
});
