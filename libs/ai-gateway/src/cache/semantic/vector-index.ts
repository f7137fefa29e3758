import type * as Usearch from 'usearch';
import type { Index } from 'usearch';
import type { NearestVector } from './vector-slab';
import { VectorSlab } from './vector-slab';

/**
 * usearch, loaded the first time a scope grows large enough for a graph: its native addon
 * takes ~35 ms to load, which a gateway without semantic caching (the default) never pays.
 */
let usearch: typeof Usearch | undefined;
function loadUsearch(): typeof Usearch {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (usearch ??= require('usearch') as typeof Usearch);
}

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

/**
 * Multiply-adds of one exact scan (≈ 2 ms in V8 on the reference VM, where the graph answers
 * in ≈ 0.5 ms) from which the graph takes over by default: 1,954 entries at 512 dimensions,
 * 3,907 at 256 (bench/semantic-lookup.mjs with BENCH_ANN_FROM).
 */
const EXACT_SCAN_BUDGET = 1_000_000;
/**
 * Rows allocated by a new index: one. Most scopes hold few entries (a scope is a system
 * prompt, model and parameters), and 64 preallocated rows cost 98 KB per scope at 384
 * dimensions, 384 KB at 1,536: 300 requests with random system prompts held +68 MB.
 */
const INITIAL_CAPACITY = 1;
/**
 * Graph candidates re-ranked exactly: the graph's distances are half precision, and some
 * candidates may be stale nodes (below). Costs no search time while it stays under
 * `EXPANSION_SEARCH`, the candidates the search keeps anyway.
 */
const CANDIDATES = 32;
/**
 * HNSW shape. Random unit vectors (no clusters to navigate by) are the hard case: these keep
 * ≥ 99 % of planted near-duplicates found at 100,000 × 512 (bench/semantic-lookup.mjs).
 */
const CONNECTIVITY = 16;
const EXPANSION_ADD = 128;
const EXPANSION_SEARCH = 256;
/**
 * Graph insertions paid by each `add` or `remove` while a graph is being built, so that
 * reaching `annFrom` (or a rebuild) never stalls the event loop for a whole build: an
 * insertion costs ≈ 0.3 ms at 2,000 × 512 and ≈ 2.5 ms at 100,000 × 512.
 */
const CATCH_UP_PER_CHANGE = 4;
/** Stale nodes per live entry at which a fresh graph is built beside the serving one. */
const REBUILD_AT_STALE_RATIO = 1;
/**
 * usearch's memory beside the half-precision vectors: per node its key, level and links
 * (2 × connectivity 4-byte slots at level 0); per reserved slot its lookup tables.
 */
const GRAPH_NODE_BYTES = 16 + 8 * CONNECTIVITY;
const GRAPH_SLOT_BYTES = 48;
/** Rough bytes per `Set` entry in V8 (hash table slot and chain). */
const HASH_ENTRY_BYTES = 32;

/**
 * A usearch HNSW graph keyed by entry id. Nothing is ever removed from it: usearch's key
 * table loses keys and then hangs under remove/add churn (unum-cloud/USearch#753, #769; not
 * fixed in 2.25, the last line that runs on Node 20). A removed or replaced entry leaves a
 * stale node instead, which the exact re-rank skips or re-scores; too many, and it is rebuilt.
 */
interface Graph {
  index: Index;
  /** Nodes that no longer stand for a live vector. */
  stale: number;
}

/**
 * The vectors of one semantic scope and their nearest-neighbour search. Small scopes are
 * scanned exactly from one contiguous slab; from `annFrom` entries an HNSW graph (usearch,
 * half-precision copies) proposes candidates that are re-ranked exactly against the slab,
 * so the similarity returned is always the exact cosine.
 */
export class ScopeVectorIndex {
  readonly dimensions: number;
  readonly annFrom: number;
  /** Every live vector, exactly: the scan, and the re-rank of the graph's candidates. */
  private readonly slab: VectorSlab;
  /** The graph that answers: it holds every live entry. */
  private graph: Graph | undefined;
  /** A graph being filled from `backlog`; it replaces `graph` once complete. */
  private building: Graph | undefined;
  /** Live ids not yet in `building`. */
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
    this.slab = new VectorSlab(dimensions, Math.max(1, Math.floor(capacity)));
  }

  get size(): number {
    return this.slab.size;
  }

  /** True when `nearest` goes through the graph rather than a full scan. */
  get approximate(): boolean {
    return this.graph !== undefined;
  }

  has(id: number): boolean {
    return this.slab.rowOf(id) !== undefined;
  }

  /** Stores a vector under `id` (a non-negative safe integer), replacing any it had. */
  add(id: number, vector: Float32Array): void {
    if (!Number.isSafeInteger(id) || id < 0) {
      throw new RangeError(`id must be a non-negative safe integer, got ${id}`);
    }
    if (vector.length !== this.dimensions) {
      throw new RangeError(`expected ${this.dimensions} dimensions, got ${vector.length}`);
    }
    const replacing = this.slab.set(id, vector);
    if (this.graph) {
      if (replacing) this.graph.stale++;
      this.graph.index.add(BigInt(id), this.slab.rowVector(this.slab.rowOf(id)!), 1);
    }
    if (this.building) {
      if (replacing && !this.backlog.has(id)) this.building.stale++;
      this.backlog.add(id);
    }
    this.maintain();
  }

  /** Forgets `id`; false when it was not stored. */
  remove(id: number): boolean {
    if (!this.slab.delete(id)) return false;
    if (this.graph) this.graph.stale++;
    if (this.building && !this.backlog.delete(id)) this.building.stale++;
    // Hysteresis: a scope that shrank well below the threshold gives the graphs' memory back.
    if (this.slab.size < this.annFrom / 2) this.dropGraphs();
    else this.maintain();
    return true;
  }

  /** The stored vector most similar to `vector`, with its exact cosine; undefined when empty. */
  nearest(vector: Float32Array): NearestVector | undefined {
    if (vector.length !== this.dimensions) {
      throw new RangeError(`expected ${this.dimensions} dimensions, got ${vector.length}`);
    }
    if (this.slab.size === 0) return undefined;
    const found = this.graph && this.rerank(this.graph.index, vector);
    return found ?? this.slab.scan(vector);
  }

  /** Bytes held: the slab, the id tables, and the graphs with their vectors. */
  approxBytes(): number {
    const backlog = this.backlog.size * HASH_ENTRY_BYTES;
    const graphs = this.graphBytes(this.graph) + this.graphBytes(this.building);
    return this.slab.approxBytes() + backlog + graphs;
  }

  clear(): void {
    this.slab.clear();
    this.dropGraphs();
  }

  /** The best live candidate, scored exactly; a stale node scores its id's current vector. */
  private rerank(graph: Index, query: Float32Array): NearestVector | undefined {
    const { keys } = graph.search(query, Math.min(CANDIDATES, graph.size()), 1);
    let found: NearestVector | undefined;
    for (const key of keys) {
      const id = Number(key);
      const row = this.slab.rowOf(id);
      if (row === undefined) continue;
      const similarity = this.slab.dotAt(row, query);
      if (!found || similarity > found.similarity) found = { id, similarity };
    }
    return found;
  }

  /**
   * Starts a graph when the scope reaches `annFrom` or the serving graph has gone stale,
   * then pays `CATCH_UP_PER_CHANGE` insertions into it; a complete one starts serving.
   */
  private maintain(): void {
    if (!this.building) {
      const due = this.graph
        ? this.graph.stale >= this.slab.size * REBUILD_AT_STALE_RATIO
        : this.slab.size >= this.annFrom;
      if (!due) return;
      this.building = { index: this.newIndex(), stale: 0 };
      for (const id of this.slab.ids()) this.backlog.add(id);
    }
    const { index } = this.building;
    let budget = CATCH_UP_PER_CHANGE;
    for (const id of this.backlog) {
      if (budget-- === 0) break;
      // One thread, the event loop's own: an insertion is too short to share. Backlog ids
      // are live (removal takes them out).
      index.add(BigInt(id), this.slab.rowVector(this.slab.rowOf(id)!), 1);
      this.backlog.delete(id);
    }
    if (this.backlog.size === 0) {
      this.graph = this.building;
      this.building = undefined;
    }
  }

  private newIndex(): Index {
    const { Index, MetricKind, ScalarKind } = loadUsearch();
    return new Index({
      dimensions: this.dimensions,
      metric: MetricKind.Cos,
      quantization: ScalarKind.F16,
      connectivity: CONNECTIVITY,
      expansion_add: EXPANSION_ADD,
      expansion_search: EXPANSION_SEARCH,
      // A replaced entry is added again under its id while its old node stays (see Graph).
      multi: true,
    });
  }

  private graphBytes(graph: Graph | undefined): number {
    if (!graph) return 0;
    const { index } = graph;
    return (
      index.size() * (this.dimensions * 2 + GRAPH_NODE_BYTES) + index.capacity() * GRAPH_SLOT_BYTES
    );
  }

  private dropGraphs(): void {
    this.graph = undefined;
    this.building = undefined;
    this.backlog.clear();
  }
}
