import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { GatewayMetrics } from '../observability/gateway-metrics.service';

/** Why usage rows were given up: the buffer was full, memory was full, unreadable, refused by the database, or still unwritten at shutdown. */
export type UsageDropReason =
  'buffer_full' | 'memory_full' | 'unreadable' | 'rejected' | 'shutdown';

/** Where a usage write failed. */
export type UsageFailureTarget = 'database' | 'buffer';

/** Metrics of the usage writer, on the gateway's registry. */
@Injectable()
export class UsageMetrics {
  private readonly written: Counter;
  private readonly buffered: Counter;
  private readonly dropped: Counter<'reason'>;
  private readonly failures: Counter<'target'>;
  /** Read when the metrics are scraped: the writer's in-memory queue length. */
  private pendingSource: () => number = () => 0;
  private readonly waiting: Gauge;

  constructor(metrics: GatewayMetrics) {
    const registers = [metrics.registry];
    this.written = new Counter({
      name: 'gateway_usage_rows_written_total',
      help: 'Usage rows written to the usage log (replays from the buffer included)',
      registers,
    });
    this.buffered = new Counter({
      name: 'gateway_usage_rows_buffered_total',
      help: 'Usage rows moved to the durable buffer because the database was unreachable',
      registers,
    });
    this.dropped = new Counter({
      name: 'gateway_usage_rows_dropped_total',
      help: 'Usage rows given up, by reason (buffer_full, memory_full, unreadable, rejected, shutdown)',
      labelNames: ['reason'] as const,
      registers,
    });
    this.failures = new Counter({
      name: 'gateway_usage_write_failures_total',
      help: 'Failed usage writes, by target (database or buffer)',
      labelNames: ['target'] as const,
      registers,
    });
    const pending = (): number => this.pendingSource();
    new Gauge({
      name: 'gateway_usage_pending_rows',
      help: 'Usage rows in memory waiting for the next batch',
      registers,
      collect() {
        this.set(pending());
      },
    });
    this.waiting = new Gauge({
      name: 'gateway_usage_buffer_rows',
      help: 'Usage rows in the durable buffer as last seen by this instance',
      registers,
    });
  }

  rowsWritten(count: number): void {
    this.written.inc(count);
  }

  rowsBuffered(count: number): void {
    this.buffered.inc(count);
  }

  rowsDropped(reason: UsageDropReason, count: number): void {
    this.dropped.inc({ reason }, count);
  }

  writeFailed(target: UsageFailureTarget): void {
    this.failures.inc({ target });
  }

  /** Where the pending-rows gauge reads its value at scrape time (no cost per row). */
  observePending(source: () => number): void {
    this.pendingSource = source;
  }

  bufferRows(count: number): void {
    this.waiting.set(count);
  }
}
