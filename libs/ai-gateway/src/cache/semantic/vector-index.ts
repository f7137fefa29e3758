import { Index, MetricKind, ScalarKind } from 'usearch';

export interface ScopeVectorIndexOptions {
  /** Length of every vector (L2-normalised, so cosine is the dot product). */
  dimensions: number;
  /**
   * Entries at which the HNSW graph takes over from the exact scan; `Infinity` keeps the
   * scan for good. Default: where a scan costs about `EXACT_SCAN_BUDGET` multiply-adds.
   */
  annFrom?: number;
  /** Entries to allocate room for up front; the slab grows by half past it. */
  capacity?: number;
}

/** The nearest entry and its exact cosine similarity to the query. */
export interface NearestVector {
  id: number;
  similarity: number;
}

/**
 * Multiply-adds of one exact scan (≈ 2 ms in V8 on the reference VM, where the graph answers
 * in ≈ 0.5 ms) from which the graph takes over by default: 1,954 entries at 512 dimensions,
 * 3,907 at 256 (bench/semantic-lookup.mjs with BENCH_ANN_FROM).
 */
const EXACT_SCAN_BUDGET = 1_000_000;
const INITIAL_CAPACITY = 64;
/** Graph candidates re-ranked exactly: the graph's own distances are only half precision. */
const CANDIDATES = 16;
/**
 * HNSW shape. Random unit vectors (no clusters to navigate by) are the hard case: these keep
 * ≥ 99 % of planted near-duplicates found at 100,000 × 512 (bench/semantic-lookup.mjs).
 */
const CONNECTIVITY = 16;
const EXPANSION_ADD = 128;
const EXPANSION_SEARCH = 256;
/**
 * Backlog entries put into the graph per `add` while it catches up with the slab, so that
 * crossing `annFrom` never stalls the event loop for a whole build (≈ 0.3–1 ms each).
 */
const CATCH_UP_PER_ADD = 16;
/**
 * usearch's memory beside the half-precision vectors: per node its key, level and links
 * (2 × connectivity 4-byte slots at level 0); per reserved slot its lookup tables.
 */
const GRAPH_NODE_BYTES = 16 + 8 * CONNECTIVITY;
const GRAPH_SLOT_BYTES = 48;
/** Rough bytes per `Map`/`Set` entry in V8 (hash table slot and chain). */
const HASH_ENTRY_BYTES = 32;

/**
 * The vectors of one semantic scope and their nearest-neighbour search. Small scopes are
 * scanned exactly from one contiguous slab; from `annFrom` entries an HNSW graph (usearch,
 * half-precision copies) proposes candidates that are re-ranked exactly against the slab,
 * so the similarity returned is always the exact cosine.
 */
export class ScopeVectorIndex {
  readonly dimensions: number;
  readonly annFrom: number;
  private readonly initialRows: number;
  private slab: Float32Array;
  /** The id stored in each slab row. */
  private rowIds: Float64Array;
  private readonly rowOf = new Map<number, number>();
  private graph: Index | undefined;
  /** Ids in the slab but not yet in the graph; the graph answers only once this is empty. */
  private readonly backlog = new Set<number>();

  constructor(options: ScopeVectorIndexOptions) {
    const { dimensions, capacity = INITIAL_CAPACITY } = options;
    if (!Number.isInteger(dimensions) || dimensions < 1) {
      throw new RangeError(`dimensions must be a positive integer, got ${dimensions}`);
    }
    const annFrom = options.annFrom ?? Math.ceil(EXACT_SCAN_BUDGET / dimensions);
    if (!(annFrom >= 2)) throw new RangeError(`annFrom must be at least 2, got ${annFrom}`);
    this.dimensions = dimensions;
    this.annFrom = annFrom;
    this.initialRows = Math.max(1, Math.floor(capacity));
    this.slab = new Float32Array(this.initialRows * dimensions);
    this.rowIds = new Float64Array(this.initialRows);
  }

  get size(): number {
    return this.rowOf.size;
  }

  /** True when `nearest` goes through the graph rather than a full scan. */
  get approximate(): boolean {
    return this.graph !== undefined && this.backlog.size === 0;
  }

  has(id: number): boolean {
    return this.rowOf.has(id);
  }

  /** Stores a vector under `id` (a non-negative safe integer), replacing any it had. */
  add(id: number, vector: Float32Array): void {
    if (!Number.isSafeInteger(id) || id < 0) {
      throw new RangeError(`id must be a non-negative safe integer, got ${id}`);
    }
    if (vector.length !== this.dimensions) {
      throw new RangeError(`expected ${this.dimensions} dimensions, got ${vector.length}`);
    }
    let row = this.rowOf.get(id);
    if (row === undefined) {
      row = this.rowOf.size;
      if (row === this.rowIds.length) this.grow();
      this.rowOf.set(id, row);
      this.rowIds[row] = id;
    } else if (this.graph && !this.backlog.delete(id)) {
      this.graph.remove(BigInt(id));
    }
    this.slab.set(vector, row * this.dimensions);
    if (this.graph) this.backlog.add(id);
    else if (this.rowOf.size >= this.annFrom) this.startGraph();
    this.catchUp();
  }

  /** Forgets `id`; false when it was not stored. */
  remove(id: number): boolean {
    const row = this.rowOf.get(id);
    if (row === undefined) return false;
    const last = this.rowOf.size - 1;
    if (row !== last) {
      // Swap-remove: the last row fills the hole, so the slab stays contiguous.
      const dims = this.dimensions;
      this.slab.copyWithin(row * dims, last * dims, (last + 1) * dims);
      const moved = this.rowIds[last];
      this.rowIds[row] = moved;
      this.rowOf.set(moved, row);
    }
    this.rowOf.delete(id);
    if (this.graph && !this.backlog.delete(id)) this.graph.remove(BigInt(id));
    // Hysteresis: a scope that shrank well below the threshold gives the graph's memory back.
    if (this.graph && this.rowOf.size < this.annFrom / 2) this.dropGraph();
    return true;
  }

  /** The stored vector most similar to `vector`, with its exact cosine; undefined when empty. */
  nearest(vector: Float32Array): NearestVector | undefined {
    if (vector.length !== this.dimensions) {
      throw new RangeError(`expected ${this.dimensions} dimensions, got ${vector.length}`);
    }
    if (this.rowOf.size === 0) return undefined;
    if (this.graph && this.backlog.size === 0) {
      const found = this.rerank(this.graph, vector);
      if (found) return found;
    }
    return this.scan(vector);
  }

  /** Bytes held: the slab, the id tables, and the graph with its vectors. */
  approxBytes(): number {
    const tables = (this.rowOf.size + this.backlog.size) * HASH_ENTRY_BYTES;
    const graph = this.graph
      ? (this.rowOf.size - this.backlog.size) * (this.dimensions * 2 + GRAPH_NODE_BYTES) +
        this.graph.capacity() * GRAPH_SLOT_BYTES
      : 0;
    return this.slab.byteLength + this.rowIds.byteLength + tables + graph;
  }

  clear(): void {
    this.rowOf.clear();
    this.dropGraph();
    this.slab = new Float32Array(this.initialRows * this.dimensions);
    this.rowIds = new Float64Array(this.initialRows);
  }

  private scan(query: Float32Array): NearestVector {
    const rows = this.rowOf.size;
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

  private rerank(graph: Index, query: Float32Array): NearestVector | undefined {
    const { keys } = graph.search(query, Math.min(CANDIDATES, this.rowOf.size), 1);
    let found: NearestVector | undefined;
    for (const key of keys) {
      const id = Number(key);
      const row = this.rowOf.get(id);
      if (row === undefined) continue;
      const similarity = this.dotAt(row, query);
      if (!found || similarity > found.similarity) found = { id, similarity };
    }
    return found;
  }

  /** Dot product of a slab row and the query, four lanes at a time. */
  private dotAt(row: number, query: Float32Array): number {
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

  /** Half as much room again: less slack than doubling at 100,000 × 512 (200 MB of slab). */
  private grow(): void {
    const rows = Math.ceil(this.rowIds.length * 1.5);
    const slab = new Float32Array(rows * this.dimensions);
    slab.set(this.slab);
    this.slab = slab;
    const rowIds = new Float64Array(rows);
    rowIds.set(this.rowIds);
    this.rowIds = rowIds;
  }

  private startGraph(): void {
    this.graph = new Index({
      dimensions: this.dimensions,
      metric: MetricKind.Cos,
      quantization: ScalarKind.F16,
      connectivity: CONNECTIVITY,
      expansion_add: EXPANSION_ADD,
      expansion_search: EXPANSION_SEARCH,
      multi: false,
    });
    for (const id of this.rowOf.keys()) this.backlog.add(id);
  }

  /** Puts up to `CATCH_UP_PER_ADD` backlog entries into the graph, oldest first. */
  private catchUp(): void {
    const graph = this.graph;
    if (!graph) return;
    let budget = CATCH_UP_PER_ADD;
    for (const id of this.backlog) {
      if (budget-- === 0) break;
      const start = this.rowOf.get(id)! * this.dimensions;
      // One thread: the event loop's own; a search or insert is too short to share.
      graph.add(BigInt(id), this.slab.subarray(start, start + this.dimensions), 1);
      this.backlog.delete(id);
    }
  }

  private dropGraph(): void {
    this.graph = undefined;
    this.backlog.clear();
  }
}
