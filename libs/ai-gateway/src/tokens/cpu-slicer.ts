/**
 * The most counting the process does in one turn of the event loop, in ms, all requests
 * together. Counting a 1 MB prompt takes tens of milliseconds of CPU however fast it is;
 * in slices of this size other requests, health checks and Redis replies keep being
 * served meanwhile.
 */
export const DEFAULT_SLICE_MS = 3;

export interface CpuSlicerOptions {
  /** Work this long before yielding (default {@link DEFAULT_SLICE_MS}; 0 yields at every pause). */
  sliceMs?: number;
  /** The clock, for tests. */
  now?: () => number;
  /**
   * How to yield, for tests. By default the slicer waits for its turn in the process-wide
   * queue of slicers, which resumes one of them per turn of the event loop.
   */
  yieldNow?: () => Promise<void>;
}

/**
 * The slicers of every request in the process, taking turns. Each slicer's own time is not
 * enough: slicers that yield with `setImmediate` all resume in the same check phase, so
 * eight requests counting at once ran eight 3 ms slices back to back — a 24 ms stall
 * however short each slice. Here a slicer that has used the turn's time waits in a FIFO;
 * one waiter is resumed per turn of the event loop, and the counting done by new slicers
 * (a request starting to count in the poll phase) is charged to the same per-turn budget.
 */
class TurnQueue {
  /** ms of counting charged since the budget was last reset (once per turn). */
  spent = 0;
  private readonly waiting: Array<() => void> = [];
  private resumeScheduled = false;
  private resetScheduled = false;

  /** Resolves when it is this caller's turn: a turn of the event loop of its own. */
  wait(): Promise<void> {
    return new Promise((resolve) => {
      this.waiting.push(resolve);
      this.scheduleResume();
    });
  }

  /** Starts a new budget in the next check phase (counting charged until then shares one). */
  charge(ms: number): void {
    this.spent += ms;
    if (this.resetScheduled) return;
    this.resetScheduled = true;
    setImmediate(this.reset);
  }

  private scheduleResume(): void {
    if (this.resumeScheduled || this.waiting.length === 0) return;
    this.resumeScheduled = true;
    // Scheduled from a check phase, an immediate runs in the next turn: one resume per turn.
    setImmediate(this.resume);
  }

  private readonly reset = (): void => {
    this.resetScheduled = false;
    this.spent = 0;
  };

  private readonly resume = (): void => {
    this.resumeScheduled = false;
    this.spent = 0;
    this.waiting.shift()?.();
    this.scheduleResume();
  };
}

const turns = new TurnQueue();

/**
 * Cuts long synchronous work into slices: call {@link pause} between bounded units of work
 * (a counter calls it after each window of text); it yields to the event loop once the
 * current turn's counting — this slicer's and every other's — has run `sliceMs`. One per
 * operation (a request's prompt count): its work is charged from when it is created.
 */
export class CpuSlicer {
  /** Times it yielded (for tests and benchmarks). */
  yields = 0;
  /** The longest slice seen so far, in ms of wall time between yields (for benchmarks). */
  longestSliceMs = 0;
  private readonly sliceMs: number;
  private readonly now: () => number;
  private readonly yieldNow: (() => Promise<void>) | undefined;
  private sliceStart: number;
  private charged: number;

  constructor(options: CpuSlicerOptions = {}) {
    this.sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
    this.now = options.now ?? (() => performance.now());
    this.yieldNow = options.yieldNow;
    this.sliceStart = this.now();
    this.charged = this.sliceStart;
  }

  /** Yields to the event loop when the current turn's counting has used its time. */
  async pause(): Promise<void> {
    const now = this.now();
    const elapsed = now - this.sliceStart;
    if (elapsed > this.longestSliceMs) this.longestSliceMs = elapsed;
    if (this.yieldNow) {
      if (elapsed < this.sliceMs) return;
      this.yields++;
      await this.yieldNow();
    } else {
      turns.charge(now - this.charged);
      this.charged = now;
      if (turns.spent < this.sliceMs) return;
      this.yields++;
      await turns.wait();
    }
    this.sliceStart = this.now();
    this.charged = this.sliceStart;
  }
}
