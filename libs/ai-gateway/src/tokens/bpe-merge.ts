/** A pair with no rank: never merged. */
const NO_RANK = Number.MAX_SAFE_INTEGER;
/** Heap keys are `rank * POSITION_SPAN + position`: exact in a double for any rank < 2^28. */
const POSITION_SPAN = 2 ** 24;

/**
 * Byte-pair merge of one piece, counting the parts left: repeatedly join the adjacent pair
 * with the lowest rank, the leftmost on a tie, exactly as tiktoken does. tiktoken scans every
 * pair for the lowest rank and splices an array per merge, O(n²) in the piece's length (a
 * 100 KB run of `a` took 15 s); here the pairs sit in a binary heap keyed by (rank, start)
 * and the parts in a linked list, so a merge costs O(log n) and a piece O(n log n). Only the
 * pairs beside a merge change rank; their old heap entries are skipped when popped (their
 * rank no longer matches, or their part was absorbed). A pair longer than the longest token
 * is never looked up.
 *
 * One merger per counter: the scratch arrays are reused (counting is synchronous), sized
 * for the longest piece the counter hands over.
 */
export class BpeMerger {
  private readonly next: Int32Array;
  private readonly prev: Int32Array;
  private readonly rankAt: Float64Array;
  private readonly absorbed: Uint8Array;
  private readonly heap: Float64Array;
  private heapSize = 0;
  /** Rank of every two-byte token by `first << 8 | second`: the first pairs need no string. */
  private readonly pairs = new Float64Array(1 << 16).fill(NO_RANK);
  /** Ranks of the three- and four-byte tokens by their bytes as one integer (no string). */
  private readonly short = new Map<number, number>();

  constructor(
    private readonly ranks: ReadonlyMap<string, number>,
    private readonly longestToken: number,
    /** The longest piece {@link count} accepts, in bytes (< 2^24). */
    readonly maxBytes: number,
  ) {
    if (maxBytes >= POSITION_SPAN) throw new RangeError(`maxBytes ${maxBytes} ≥ 2^24`);
    this.next = new Int32Array(maxBytes + 1);
    this.prev = new Int32Array(maxBytes + 1);
    this.rankAt = new Float64Array(maxBytes + 1);
    this.absorbed = new Uint8Array(maxBytes + 1);
    // Each part boundary starts with one entry and each merge pushes at most two.
    this.heap = new Float64Array(3 * maxBytes + 1);
    for (const [token, rank] of ranks) {
      if (token.length === 2) this.pairs[(token.charCodeAt(0) << 8) | token.charCodeAt(1)] = rank;
      else if (token.length <= 4) this.short.set(packed(token, 0, token.length), rank);
    }
  }

  /** Tokens of one piece given as its bytes in a latin1 string (at most maxBytes long). */
  count(bytes: string): number {
    const n = bytes.length;
    if (n <= 1) return n;
    if (n > this.maxBytes) throw new RangeError(`piece of ${n} bytes > ${this.maxBytes}`);
    const { next, prev, rankAt, absorbed } = this;
    for (let i = 0; i < n; i++) {
      next[i] = i + 1;
      prev[i] = i - 1;
      absorbed[i] = 0;
    }
    this.heapSize = 0;
    for (let i = 0; i < n - 1; i++) {
      const rank = this.pairs[(bytes.charCodeAt(i) << 8) | bytes.charCodeAt(i + 1)];
      rankAt[i] = rank;
      if (rank !== NO_RANK) this.push(rank * POSITION_SPAN + i);
    }
    rankAt[n - 1] = NO_RANK;
    let parts = n;
    while (this.heapSize > 0) {
      const key = this.pop();
      const rank = Math.floor(key / POSITION_SPAN);
      const at = key - rank * POSITION_SPAN;
      if (absorbed[at] === 1 || rankAt[at] !== rank) continue; // stale entry
      const gone = next[at];
      const after = next[gone];
      next[at] = after;
      if (after < n) prev[after] = at;
      absorbed[gone] = 1;
      parts--;
      this.rerank(bytes, at);
      if (prev[at] >= 0) this.rerank(bytes, prev[at]);
    }
    return parts;
  }

  /** Recomputes the rank of the pair starting at part `at` and queues it. */
  private rerank(bytes: string, at: number): void {
    const second = this.next[at];
    const end = second < bytes.length ? this.next[second] : -1;
    let rank = NO_RANK;
    const span = end - at;
    if (end > 0 && span <= 4) {
      rank = this.short.get(packed(bytes, at, end)) ?? NO_RANK;
    } else if (end > 0 && span <= this.longestToken) {
      rank = this.ranks.get(bytes.slice(at, end)) ?? NO_RANK;
    }
    this.rankAt[at] = rank;
    if (rank !== NO_RANK) this.push(rank * POSITION_SPAN + at);
  }

  private push(key: number): void {
    const heap = this.heap;
    let i = this.heapSize++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (heap[parent] <= key) break;
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = key;
  }

  private pop(): number {
    const heap = this.heap;
    const top = heap[0];
    const last = heap[--this.heapSize];
    const size = this.heapSize;
    let i = 0;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= size) break;
      if (child + 1 < size && heap[child + 1] < heap[child]) child++;
      if (heap[child] >= last) break;
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = last;
    return top;
  }
}

/** Bytes `from`…`to` (3 or 4 of them) of a latin1 string as one integer, the length marked. */
function packed(bytes: string, from: number, to: number): number {
  let key = to - from; // 3 and 4-byte keys never collide
  for (let i = from; i < to; i++) key = key * 256 + bytes.charCodeAt(i);
  return key;
}
