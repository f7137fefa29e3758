/** Rows below which the slab doubles (few copies while small), above which it grows by half. */
const DOUBLING_BELOW = 64;
/** Rough bytes per `Map` entry in V8 (hash table slot and chain). */
const HASH_ENTRY_BYTES = 32;

/** The nearest entry and its exact cosine similarity to the query. */
export interface NearestVector {
  id: number;
  similarity: number;
}

/**
 * Vectors of one length in one contiguous `Float32Array`, a row per id: the exact store
 * of a semantic scope, scanned in full while the scope is small and re-ranking the graph's
 * candidates once it is large. Removal swaps the last row into the hole, so rows stay dense.
 */
export class VectorSlab {
  private slab: Float32Array;
  /** The id stored in each row. */
  private rowIds: Float64Array;
  private readonly rows = new Map<number, number>();

  constructor(
    readonly dimensions: number,
    private readonly initialRows: number,
  ) {
    this.slab = new Float32Array(initialRows * dimensions);
    this.rowIds = new Float64Array(initialRows);
  }

  get size(): number {
    return this.rows.size;
  }

  /** Ids in row order. */
  ids(): IterableIterator<number> {
    return this.rows.keys();
  }

  rowOf(id: number): number | undefined {
    return this.rows.get(id);
  }

  /** Stores `vector` under `id`; true when it replaced the vector `id` had. */
  set(id: number, vector: Float32Array): boolean {
    let row = this.rows.get(id);
    const replacing = row !== undefined;
    if (row === undefined) {
      row = this.rows.size;
      if (row === this.rowIds.length) this.grow();
      this.rows.set(id, row);
      this.rowIds[row] = id;
    }
    this.slab.set(vector, row * this.dimensions);
    return replacing;
  }

  /** Forgets `id`; false when it was not stored. */
  delete(id: number): boolean {
    const row = this.rows.get(id);
    if (row === undefined) return false;
    const last = this.rows.size - 1;
    if (row !== last) {
      // Swap-remove: the last row fills the hole, so the slab stays contiguous.
      const dims = this.dimensions;
      this.slab.copyWithin(row * dims, last * dims, (last + 1) * dims);
      const moved = this.rowIds[last];
      this.rowIds[row] = moved;
      this.rows.set(moved, row);
    }
    this.rows.delete(id);
    return true;
  }

  /** The row's vector, as a view on the slab (valid until the slab next changes). */
  rowVector(row: number): Float32Array {
    return this.slab.subarray(row * this.dimensions, (row + 1) * this.dimensions);
  }

  /** The most similar row to `query` by a full scan; the slab must not be empty. */
  scan(query: Float32Array): NearestVector {
    const rows = this.rows.size;
    let bestRow = 0;
    let best = -Infinity;
    for (let row = 0; row < rows; row++) {
      const similarity = this.dotAt(row, query);
      if (similarity > best) {
        best = similarity;
        bestRow = row;
      }
    }
    return { id: this.rowIds[bestRow], similarity: best };
  }

  /** Dot product of a row and the query, four lanes at a time. */
  dotAt(row: number, query: Float32Array): number {
    const slab = this.slab;
    const dims = this.dimensions;
    const base = row * dims;
    const whole = dims & ~3;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    let i = 0;
    for (; i < whole; i += 4) {
      s0 += slab[base + i] * query[i];
      s1 += slab[base + i + 1] * query[i + 1];
      s2 += slab[base + i + 2] * query[i + 2];
      s3 += slab[base + i + 3] * query[i + 3];
    }
    for (; i < dims; i++) s0 += slab[base + i] * query[i];
    return s0 + s1 + s2 + s3;
  }

  /** Bytes held: the slab, the row ids and the id table. */
  approxBytes(): number {
    return this.slab.byteLength + this.rowIds.byteLength + this.rows.size * HASH_ENTRY_BYTES;
  }

  clear(): void {
    this.rows.clear();
    this.slab = new Float32Array(this.initialRows * this.dimensions);
    this.rowIds = new Float64Array(this.initialRows);
  }

  /**
   * Double while small; then half as much room again: less slack than doubling at
   * 100,000 × 512 (200 MB of slab).
   */
  private grow(): void {
    const held = this.rowIds.length;
    const rows = held < DOUBLING_BELOW ? held * 2 : Math.ceil(held * 1.5);
    const slab = new Float32Array(rows * this.dimensions);
    slab.set(this.slab);
    this.slab = slab;
    const rowIds = new Float64Array(rows);
    rowIds.set(this.rowIds);
    this.rowIds = rowIds;
  }
}
