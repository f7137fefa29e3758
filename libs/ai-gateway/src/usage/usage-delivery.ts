import { Logger } from '@nestjs/common';
import type { UsageBuffer } from './usage-buffer';
import type { UsageDropLog } from './usage-drop-log';
import type { UsageRow } from './usage-row';
import { isRejectedByDatabase } from './usage-write-error';
import type { UsageMetrics } from './usage.metrics';
import type { UsageRepository } from './usage.repository';

/** What delivery needs from the database (the {@link UsageRepository}). */
export type UsageSink = Pick<UsageRepository, 'insertBatch' | 'ping'>;

/** Tuning of {@link UsageDelivery}. */
export interface UsageDeliveryOptions {
  /** Rows per INSERT; the buffer is drained in claims of 4 batches (at most 5,000 rows). */
  batchSize: number;
  /** First retry delay after a failure (default 500 ms); doubles up to `retryMaxMs` (5 s), with jitter. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** Randomness of the backoff jitter, in [0, 1). */
  random?: () => number;
}

/**
 * Gets batches of usage rows into the database — or, while it is unreachable, into the
 * durable buffer — and brings buffered rows back: a recovery loop probes the database
 * with backoff and, once it answers, drains the buffer claim by claim (a claim is
 * acknowledged only after its insert, so a crash replays it and the idempotent insert
 * ignores the replay). Never throws.
 */
export class UsageDelivery {
  private readonly logger = new Logger('UsageWriter');
  private down = false;
  private failures = 0;
  private retryTimer?: NodeJS.Timeout;
  private recovering?: Promise<void>;
  private recoverAgain = false;
  private stopped = false;

  constructor(
    private readonly sink: UsageSink,
    private readonly buffer: UsageBuffer,
    private readonly metrics: UsageMetrics,
    private readonly drops: UsageDropLog,
    private readonly options: UsageDeliveryOptions,
    /** Called when the database answers again (rows held in memory can go now). */
    private readonly onDatabaseBack: () => void,
  ) {}

  /** Whether the last write or probe found the database unreachable. */
  get databaseDown(): boolean {
    return this.down;
  }

  /** One batch to the database, else to the buffer; false when both failed (the rows are the caller's again). */
  async deliver(batch: UsageRow[]): Promise<boolean> {
    if (!this.down) {
      try {
        this.metrics.rowsWritten(await this.insert(batch));
        return true;
      } catch (error) {
        this.markDown(error);
      }
    }
    return this.spill(batch);
  }

  /** Moves rows to the durable buffer (counting what is over its bound); false when it is unavailable. */
  async spill(rows: UsageRow[]): Promise<boolean> {
    try {
      const accepted = await this.buffer.push(rows);
      this.metrics.rowsBuffered(accepted);
      if (accepted < rows.length) {
        this.drops.drop('buffer_full', rows.length - accepted, 'usage buffer full; rows dropped');
      }
      this.scheduleRecovery();
      return true;
    } catch (error) {
      this.bufferFailed(error);
      this.scheduleRecovery();
      return false;
    }
  }

  /** Starts a recovery pass after `delayMs` (default: the current backoff) unless one is due. */
  scheduleRecovery(delayMs = this.backoff()): void {
    if (this.stopped) return;
    if (this.recovering) {
      this.recoverAgain = true;
      return;
    }
    if (this.retryTimer) return;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = undefined;
      this.recovering = this.recover().finally(() => {
        this.recovering = undefined;
        if (this.recoverAgain) {
          this.recoverAgain = false;
          this.scheduleRecovery();
        }
      });
    }, delayMs);
    this.retryTimer.unref();
  }

  /** No more recovery passes; waits for the current one to stop. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    await this.recovering;
  }

  /** Inserts rows; a batch the database refuses is retried row by row and only bad rows dropped. */
  private async insert(rows: readonly UsageRow[]): Promise<number> {
    try {
      await this.sink.insertBatch(rows);
      return rows.length;
    } catch (error) {
      if (!isRejectedByDatabase(error)) throw error;
    }
    let written = 0;
    for (const row of rows) {
      try {
        await this.sink.insertBatch([row]);
        written++;
      } catch (error) {
        if (!isRejectedByDatabase(error)) throw error;
        this.drops.drop('rejected', 1, `usage row refused by the database: ${errorText(error)}`);
      }
    }
    return written;
  }

  /** Waits for the database, then lets memory rows go and drains the buffer. */
  private async recover(): Promise<void> {
    if (this.down) {
      try {
        await this.sink.ping();
      } catch {
        this.failures++;
        this.recoverAgain = true;
        return;
      }
      this.down = false;
      this.logger.log({ msg: 'usage database reachable again; draining the buffer' });
      this.onDatabaseBack();
    }
    try {
      while (!this.stopped) {
        const claim = await this.buffer.claim(Math.min(5_000, 4 * this.options.batchSize));
        if (!claim) break;
        if (claim.unreadable) {
          this.drops.drop('unreadable', claim.unreadable, 'unreadable usage rows in the buffer');
        }
        try {
          this.metrics.rowsWritten(await this.insert(claim.rows));
        } catch (error) {
          await this.buffer.release(claim).catch(() => undefined);
          this.markDown(error);
          this.failures++;
          return;
        }
        // A failed ack leaves the rows claimed: the lease ends, they are replayed, and ignored.
        await this.buffer.ack(claim).catch(() => undefined);
      }
      this.failures = 0;
      this.metrics.bufferRows(await this.buffer.size());
    } catch (error) {
      this.bufferFailed(error);
      this.failures++;
      this.recoverAgain = true;
    }
  }

  private markDown(error: unknown): void {
    this.metrics.writeFailed('database');
    if (!this.down) {
      this.down = true;
      this.logger.warn({
        msg: 'usage database unreachable; rows go to the buffer until it returns',
        buffer: this.buffer.kind,
        error: errorText(error),
      });
    }
    this.scheduleRecovery();
  }

  private bufferFailed(error: unknown): void {
    this.metrics.writeFailed('buffer');
    this.logger.warn({
      msg: 'usage buffer unavailable',
      buffer: this.buffer.kind,
      error: errorText(error),
    });
  }

  private backoff(): number {
    const base = this.options.retryBaseMs ?? 500;
    // A probe is one connection attempt: cheap enough to keep the wait after a comeback short.
    const max = this.options.retryMaxMs ?? 5_000;
    const ceiling = Math.min(max, base * 2 ** Math.min(this.failures, 30));
    return Math.round(ceiling * (0.5 + 0.5 * (this.options.random ?? Math.random)()));
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
