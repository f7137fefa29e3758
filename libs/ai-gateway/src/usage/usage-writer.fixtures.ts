import { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { UsageBuffer } from './usage-buffer';
import type { UsageRow } from './usage-row';
import type { UsageSink } from './usage-delivery';
import type { UsageWriterOptions } from './usage-writer.service';
import { UsageWriter } from './usage-writer.service';
import { UsageMetrics } from './usage.metrics';

/** An error shaped like node-postgres' when the server is unreachable. */
export function connectionRefused(): Error {
  return Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
}

/**
 * A database stand-in for the writer's unit specs: stores rows by request id (so a
 * replay is visibly ignored), can be taken down, and can refuse chosen rows the way
 * PostgreSQL refuses bad data (SQLSTATE 22003).
 */
export class MemoryUsageSink implements UsageSink {
  readonly stored = new Map<string, UsageRow>();
  readonly batches: number[] = [];
  down = false;
  refuse: (row: UsageRow) => boolean = () => false;

  insertBatch(rows: readonly UsageRow[]): Promise<void> {
    if (this.down) return Promise.reject(connectionRefused());
    if (rows.some((row) => this.refuse(row))) {
      return Promise.reject(Object.assign(new Error('integer out of range'), { code: '22003' }));
    }
    this.batches.push(rows.length);
    for (const row of rows)
      if (!this.stored.has(row.requestId)) this.stored.set(row.requestId, row);
    return Promise.resolve();
  }

  ping(): Promise<void> {
    return this.down ? Promise.reject(connectionRefused()) : Promise.resolve();
  }
}

/** A writer over the given sink and buffer, with its metrics registry for assertions. */
export function createTestWriter(
  sink: UsageSink,
  buffer: UsageBuffer,
  options: Partial<UsageWriterOptions> = {},
): { writer: UsageWriter; metrics: GatewayMetrics } {
  const metrics = new GatewayMetrics();
  const writer = new UsageWriter(
    sink,
    buffer,
    new UsageMetrics(metrics),
    { now: () => Date.now() },
    {
      batchSize: 3,
      flushIntervalMs: 1_000,
      retryBaseMs: 100,
      retryMaxMs: 1_000,
      sweepIntervalMs: 0,
      random: () => 0.999,
      ...options,
    },
  );
  return { writer, metrics };
}

/** The value of a usage counter (optionally of one label value). */
export async function counterValue(
  metrics: GatewayMetrics,
  name: string,
  labels: Record<string, string> = {},
): Promise<number> {
  const metric = metrics.registry.getSingleMetric(name);
  if (!metric) throw new Error(`no metric ${name}`);
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))
    .reduce((sum, v) => sum + v.value, 0);
}
