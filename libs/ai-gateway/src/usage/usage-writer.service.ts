import type { OnApplicationBootstrap, OnModuleDestroy } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Clock } from '../shared/clock';
import { InjectClock } from '../shared/clock';
import type { UsageBuffer } from './usage-buffer';
import { InjectUsageBuffer } from './usage-buffer';
import type { UsageDeliveryOptions, UsageSink } from './usage-delivery';
import { UsageDelivery } from './usage-delivery';
import { UsageDropLog } from './usage-drop-log';
import type { UsageRow } from './usage-row';
import { sanitizeUsageRow } from './usage-row.mapper';
import { UsageMetrics } from './usage.metrics';
import { UsageRepository } from './usage.repository';

/** Tuning of the {@link UsageWriter}; `batchSize` and `flushIntervalMs` come from the `usage` config. */
export interface UsageWriterOptions extends UsageDeliveryOptions {
  /** A partial batch waits at most this long. */
  flushIntervalMs: number;
  /** Rows kept in memory at most; beyond it the oldest batch moves to the buffer at once. */
  memoryLimit?: number;
  /** How often the buffer is checked for rows left by other instances or a previous run (0: never). */
  sweepIntervalMs?: number;
  /** Longest wait for the last rows at shutdown. */
  shutdownDeadlineMs?: number;
}

/** Injection token of the {@link UsageWriterOptions}. */
export const USAGE_WRITER_OPTIONS = Symbol('USAGE_WRITER_OPTIONS');

/**
 * Writes one usage row per request to the usage log, in batches (by size and by time),
 * off the request path: `record()` returns at once and never throws. While the database
 * is unreachable, batches wait in the durable {@link UsageBuffer} and are written when
 * it is back, with no duplicates (idempotent by request id). Rows are given up only past
 * the buffer's bound — counted in `gateway_usage_rows_dropped_total` and logged.
 */
@Injectable()
export class UsageWriter implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(UsageWriter.name);
  private readonly batchSize: number;
  private readonly memoryLimit: number;
  private readonly drops: UsageDropLog;
  private readonly delivery: UsageDelivery;
  private queue: UsageRow[] = [];
  private flushTimer?: NodeJS.Timeout;
  private pumping?: Promise<boolean>;
  private pumpAll = false;
  private sweepTimer?: NodeJS.Timeout;
  private closed = false;

  constructor(
    @Inject(UsageRepository) sink: UsageSink,
    @InjectUsageBuffer() private readonly buffer: UsageBuffer,
    metrics: UsageMetrics,
    @InjectClock() private readonly clock: Clock,
    @Inject(USAGE_WRITER_OPTIONS) private readonly options: UsageWriterOptions,
  ) {
    this.batchSize = Math.max(1, options.batchSize);
    this.memoryLimit = options.memoryLimit ?? Math.max(10_000, 20 * this.batchSize);
    this.drops = new UsageDropLog(metrics, clock);
    this.delivery = new UsageDelivery(sink, buffer, metrics, this.drops, options, () =>
      this.kick(true),
    );
    metrics.observePending(() => this.queue.length);
  }

  /**
   * Drains what an earlier run (or another instance) left in the buffer, then checks now
   * and then. At bootstrap, not module init: Redis has finished connecting by then.
   */
  onApplicationBootstrap(): void {
    this.delivery.scheduleRecovery(0);
    const every = this.options.sweepIntervalMs ?? 30_000;
    if (every > 0) {
      this.sweepTimer = setInterval(() => this.delivery.scheduleRecovery(0), every);
      this.sweepTimer.unref();
    }
  }

  async onModuleDestroy(): Promise<void> {
    await this.close();
  }

  /** Queues one row for writing. Never blocks, never throws. */
  record(row: UsageRow): void {
    try {
      const clean = sanitizeUsageRow(row, this.clock.now());
      if (!clean) return this.drops.drop('rejected', 1, 'usage row without a request id');
      if (this.closed) return this.spillOrDrop([clean], 'shutdown');
      if (this.queue.length >= this.memoryLimit) {
        this.spillOrDrop(this.queue.splice(0, this.batchSize), 'memory_full');
      }
      this.queue.push(clean);
      if (this.queue.length >= this.batchSize) this.kick(false);
      else if (!this.flushTimer) {
        this.flushTimer = setTimeout(() => {
          this.flushTimer = undefined;
          this.kick(true);
        }, this.options.flushIntervalMs);
        this.flushTimer.unref();
      }
    } catch (error) {
      this.logger.error({ msg: 'usage record failed', error: String(error) });
    }
  }

  /** Writes every queued row now (to the database, or the buffer while it is down). */
  async flush(): Promise<void> {
    for (let rounds = 0; this.queue.length > 0 && rounds < 10_000; rounds++) {
      this.kick(true);
      if (!(await this.pumping)) return;
    }
    await this.pumping;
  }

  /** Rows in memory, whether the database is considered down, and the buffer in use. */
  get status(): { pending: number; databaseDown: boolean; buffer: string } {
    return {
      pending: this.queue.length,
      databaseDown: this.delivery.databaseDown,
      buffer: this.buffer.kind,
    };
  }

  /**
   * Stops the timers and writes what is left within `deadlineMs`; rows still in memory
   * after it go to the buffer, or are counted as dropped (`shutdown`) if that fails too.
   */
  async close(deadlineMs = this.options.shutdownDeadlineMs ?? 5_000): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.flushTimer);
    clearInterval(this.sweepTimer);
    const drained = (async () => {
      await this.delivery.stop();
      await this.flush();
    })();
    await withDeadline(drained, deadlineMs, undefined);
    const rest = this.queue.splice(0);
    if (rest.length > 0 && !(await withDeadline(this.delivery.spill(rest), 1_000, false))) {
      this.drops.drop('shutdown', rest.length, 'usage rows unwritten at shutdown');
    }
  }

  private kick(all: boolean): void {
    if (all) this.pumpAll = true;
    if (this.pumping) return;
    this.pumping = this.pump().finally(() => {
      this.pumping = undefined;
    });
    void this.pumping.then((flowing) => {
      if (!flowing || this.closed) return;
      if (this.queue.length >= this.batchSize) this.kick(false);
      else if (this.pumpAll && this.queue.length > 0) this.kick(true);
    });
  }

  /** Delivers full batches (and the partial one when asked); false when rows are stuck in memory. */
  private async pump(): Promise<boolean> {
    while (this.queue.length >= this.batchSize || (this.pumpAll && this.queue.length > 0)) {
      if (this.queue.length <= this.batchSize) this.pumpAll = false;
      const batch = this.queue.splice(0, this.batchSize);
      if (!(await this.delivery.deliver(batch))) {
        this.requeue(batch);
        return false;
      }
    }
    return true;
  }

  /** Database and buffer both unavailable: rows wait in memory, up to its limit. */
  private requeue(batch: UsageRow[]): void {
    this.queue.unshift(...batch);
    const over = this.queue.length - this.memoryLimit;
    if (over > 0) {
      this.queue.splice(this.memoryLimit);
      this.drops.drop('memory_full', over, 'usage rows dropped: database and buffer unavailable');
    }
  }

  private spillOrDrop(rows: UsageRow[], reason: 'memory_full' | 'shutdown'): void {
    void this.delivery.spill(rows).then((ok) => {
      if (!ok) this.drops.drop(reason, rows.length, 'usage rows dropped: buffer unavailable');
    });
  }
}

/** The task's value, or `fallback` when it fails or takes longer than `ms`. */
async function withDeadline<T>(task: Promise<T>, ms: number, fallback: T): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<T>((resolve) => {
    timer = setTimeout(() => resolve(fallback), ms);
  });
  try {
    return await Promise.race([task.catch(() => fallback), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
