import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import { TaskError, TaskErrorCode } from '../errors/task.error';

/** How the extraction slots are shared (from `tasks.files`). */
export interface SlotLimits {
  /** Files read at once in this process. */
  concurrency: number;
  /** Of those, at most this many for one key. */
  perKeyConcurrency: number;
  /** Files waiting for a slot, all keys together; one more is refused (503). */
  maxWaiting: number;
  /** Files one key may have waiting; one more is refused (429). */
  maxWaitingPerKey: number;
  /** A file that waited this long is refused (503) rather than read late. */
  maxWaitMs: number;
}

/** Gives a slot back. Idempotent. */
export type ReleaseSlot = () => void;

interface Waiter {
  owner: string | undefined;
  grant: (release: ReleaseSlot) => void;
  refuse: (error: GatewayError | TaskError) => void;
  timer?: ReturnType<typeof setTimeout>;
}

/** Retry-After of a refused file: about one extraction's time. */
export const EXTRACTION_RETRY_AFTER_MS = 5_000;

/**
 * Extraction slots shared fairly between keys. Reading a file is heavy (a child process,
 * up to its memory limit), so only `concurrency` run at once. One key may hold at most
 * `perKeyConcurrency` of them; a freed slot goes to the waiting key that holds the fewest
 * (ties: the one served longest ago), so a key's one small file is not queued behind another key's
 * eight big ones.
 * The wait list is bounded in length, per key and in time: past a bound a file is refused
 * at once with a retryable error carrying Retry-After, never queued without end.
 * Files without an owner (a library call that names no key) share a slot pool without the
 * per-key share; their waits are still bounded.
 */
export class ExtractionSlots {
  private running = 0;
  private readonly runningBy = new Map<string | undefined, number>();
  /** Waiters per owner, each list first come first served. */
  private readonly waiting = new Map<string | undefined, Waiter[]>();
  private waitingCount = 0;
  /** When each owner with files running or waiting was last granted a slot (a grant count). */
  private readonly lastGrant = new Map<string | undefined, number>();
  private grants = 0;

  constructor(private limits: SlotLimits) {}

  /** New limits (a config reload) apply to the next grant; running files keep their slot. */
  configure(limits: SlotLimits): void {
    this.limits = limits;
    this.dispatch();
  }

  /** Files being read and files waiting, for tests and gauges. */
  stats(): { running: number; waiting: number } {
    return { running: this.running, waiting: this.waitingCount };
  }

  /**
   * Resolves with a release function once a slot is this owner's; rejects with
   * `QUEUE_UNAVAILABLE` (wait list full, or waited too long) or `RATE_LIMIT_EXCEEDED`
   * (this owner already has its share waiting), both retryable with `retryAfterMs`.
   */
  acquire(owner?: string): Promise<ReleaseSlot> {
    return new Promise<ReleaseSlot>((grant, refuse) => {
      const waiter: Waiter = { owner, grant, refuse };
      const queue = this.waiting.get(owner) ?? [];
      if (queue.length === 0) this.waiting.set(owner, queue);
      queue.push(waiter);
      this.waitingCount++;
      this.dispatch();
      if (!this.isWaiting(waiter)) return;
      if (owner !== undefined && queue.length > this.limits.maxWaitingPerKey) {
        this.remove(waiter);
        refuse(
          new GatewayError(
            GatewayErrorCode.RATE_LIMIT_EXCEEDED,
            tryAgain(
              `This key already has ${this.limits.maxWaitingPerKey} files waiting to be read`,
            ),
            { retryable: true, retryAfterMs: EXTRACTION_RETRY_AFTER_MS },
          ),
        );
      } else if (this.waitingCount > this.limits.maxWaiting) {
        this.remove(waiter);
        refuse(busy('Too many files are waiting to be read'));
      } else {
        waiter.timer = setTimeout(() => {
          this.remove(waiter);
          refuse(busy(`No file reader became free within ${this.limits.maxWaitMs} ms`));
        }, this.limits.maxWaitMs);
        // The waiting request keeps the process busy, not this timer.
        waiter.timer.unref?.();
      }
    });
  }

  private runningOf(owner: string | undefined): number {
    return this.runningBy.get(owner) ?? 0;
  }

  /**
   * Grants free slots. Each goes to the waiting owner holding the fewest slots (ties: the
   * one served longest ago), skipping owners at their share.
   */
  private dispatch(): void {
    while (this.running < this.limits.concurrency) {
      let next: Waiter | undefined;
      for (const [owner, queue] of this.waiting) {
        if (owner !== undefined && this.runningOf(owner) >= this.limits.perKeyConcurrency) continue;
        if (!next || this.before(owner, next.owner)) next = queue[0];
      }
      if (!next) return;
      this.remove(next);
      this.start(next);
    }
  }

  /** Whether `a` has the next turn before `b`: fewer slots held, else served longer ago. */
  private before(a: string | undefined, b: string | undefined): boolean {
    const held = this.runningOf(a) - this.runningOf(b);
    if (held !== 0) return held < 0;
    return (this.lastGrant.get(a) ?? 0) < (this.lastGrant.get(b) ?? 0);
  }

  /** Forgets an owner's turn once it has nothing running or waiting. */
  private forgetIfIdle(owner: string | undefined): void {
    if (!this.runningBy.has(owner) && !this.waiting.has(owner)) this.lastGrant.delete(owner);
  }

  private start(waiter: Waiter): void {
    const { owner } = waiter;
    this.lastGrant.set(owner, ++this.grants);
    this.running++;
    this.runningBy.set(owner, this.runningOf(owner) + 1);
    let released = false;
    waiter.grant(() => {
      if (released) return;
      released = true;
      this.running--;
      const left = this.runningOf(owner) - 1;
      if (left <= 0) this.runningBy.delete(owner);
      else this.runningBy.set(owner, left);
      this.forgetIfIdle(owner);
      this.dispatch();
    });
  }

  private isWaiting(waiter: Waiter): boolean {
    return this.waiting.get(waiter.owner)?.includes(waiter) ?? false;
  }

  private remove(waiter: Waiter): void {
    const queue = this.waiting.get(waiter.owner);
    const at = queue?.indexOf(waiter) ?? -1;
    if (!queue || at < 0) return;
    queue.splice(at, 1);
    this.waitingCount--;
    if (waiter.timer) clearTimeout(waiter.timer);
    if (queue.length === 0) this.waiting.delete(waiter.owner);
    this.forgetIfIdle(waiter.owner);
  }
}

function busy(reason: string): TaskError {
  return new TaskError(TaskErrorCode.QUEUE_UNAVAILABLE, tryAgain(reason), {
    retryable: true,
    retryAfterMs: EXTRACTION_RETRY_AFTER_MS,
  });
}

function tryAgain(reason: string): string {
  return `${reason}: try again in a few seconds`;
}
