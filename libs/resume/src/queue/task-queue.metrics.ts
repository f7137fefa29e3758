import { Injectable } from '@nestjs/common';
import { GatewayMetrics } from '@ai-gateway/core';
import { Counter, Gauge, Histogram } from 'prom-client';
import type { TaskJobState } from './task-job.types';

const DURATION_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300, 600];

/** Queue and job metrics, on the gateway's registry (one `/metrics` per process). */
@Injectable()
export class TaskQueueMetrics {
  readonly jobs: Counter<'type' | 'outcome'>;
  readonly duration: Histogram<'type' | 'outcome'>;
  readonly wait: Histogram<'type'>;
  readonly webhooks: Counter<'outcome'>;
  private depthSource?: () => Promise<Record<TaskJobState, number>>;

  constructor(metrics: GatewayMetrics) {
    const registers = [metrics.registry];
    this.jobs = new Counter({
      name: 'gateway_task_jobs_total',
      help: 'Task jobs by type and outcome (enqueued, deduplicated, completed, failed, retried, released)',
      labelNames: ['type', 'outcome'] as const,
      registers,
    });
    this.duration = new Histogram({
      name: 'gateway_task_job_duration_seconds',
      help: 'Time a worker spent on one run of a job, by type and outcome',
      labelNames: ['type', 'outcome'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.wait = new Histogram({
      name: 'gateway_task_queue_wait_seconds',
      help: 'Time from enqueue to the first run of a job',
      labelNames: ['type'] as const,
      buckets: DURATION_BUCKETS,
      registers,
    });
    this.webhooks = new Counter({
      name: 'gateway_task_webhooks_total',
      help: 'Webhook deliveries by outcome (delivered, retried, failed)',
      labelNames: ['outcome'] as const,
      registers,
    });
    // A job's type is checked before it is queued; bounded all the same, as every label.
    metrics.bound(this.jobs, ['type', 'outcome']);
    metrics.bound(this.duration, ['type', 'outcome']);
    metrics.bound(this.wait, ['type']);
    metrics.bound(this.webhooks, ['outcome']);
    const depth = (): TaskQueueMetrics['depthSource'] => this.depthSource;
    new Gauge({
      name: 'gateway_task_queue_depth',
      help: 'Jobs in the queue by state, read at scrape time',
      labelNames: ['state'] as const,
      registers,
      async collect() {
        const source = depth();
        if (!source) return;
        try {
          for (const [state, count] of Object.entries(await source())) this.set({ state }, count);
        } catch {
          // A scrape while the queue's Redis is down shows the last depth rather than failing.
        }
      },
    });
  }

  /** Where the depth gauge reads from (the configured queue). */
  readDepthFrom(source: () => Promise<Record<TaskJobState, number>>): void {
    this.depthSource = source;
  }
}
