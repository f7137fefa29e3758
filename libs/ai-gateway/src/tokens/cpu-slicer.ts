/**
 * The longest stretch of counting between two yields to the event loop, in ms. Counting
 * a 1 MB prompt takes tens of milliseconds of CPU however fast it is; in slices of this
 * size other requests, health checks and Redis replies keep being served meanwhile.
 */
export const DEFAULT_SLICE_MS = 3;

export interface CpuSlicerOptions {
  /** Work this long before yielding (default {@link DEFAULT_SLICE_MS}; 0 yields at every pause). */
  sliceMs?: number;
  /** The clock, for tests. */
  now?: () => number;
  /** How to yield, for tests (default: one turn of the event loop through `setImmediate`). */
  yieldNow?: () => Promise<void>;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * Cuts long synchronous work into slices: call {@link pause} between bounded units of work
 * (a counter calls it after each window of text); it yields to the event loop once the
 * current slice has run `sliceMs`. One per operation (a request's prompt count): the slice
 * starts when it is created.
 */
export class CpuSlicer {
  /** Times it yielded (for tests and benchmarks). */
  yields = 0;
  /** The longest slice seen so far, in ms of wall time between yields (for benchmarks). */
  longestSliceMs = 0;
  private readonly sliceMs: number;
  private readonly now: () => number;
  private readonly yieldNow: () => Promise<void>;
  private sliceStart: number;

  constructor(options: CpuSlicerOptions = {}) {
    this.sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    this.now = options.now ?? (() => performance.now());
    this.yieldNow = options.yieldNow ?? nextTurn;
    this.sliceStart = this.now();
  }

  /** Yields to the event loop when the current slice has used its time. */
  async pause(): Promise<void> {
    const elapsed = this.now() - this.sliceStart;
    if (elapsed > this.longestSliceMs) this.longestSliceMs = elapsed;
    if (elapsed < this.sliceMs) return;
    this.yields++;
    await this.yieldNow();
    this.sliceStart = this.now();
  }
}
