import type { OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { Injectable } from '@nestjs/common';
import {
  GatewayConfigService,
  GatewayError,
  GatewayErrorCode,
  JobRecords,
  traceCarrier,
} from '@ai-gateway/core';
import type { Caller } from '@ai-gateway/core';
import { tasksConfigOf } from '../config/tasks.section';
import { randomUUID } from 'node:crypto';
import { TaskError, TaskErrorCode } from '../errors/task.error';
import { jobIdFor, ownsJob, requestHashOf, tenantOf } from './task-job.identity';
import { TaskEnqueueLimits } from './task-enqueue-limits';
import { TaskJobRunner, TaskRunFailure, classify } from './task-job.runner';
import type {
  EnqueueOutcome,
  EnqueueTask,
  ListJobsQuery,
  TaskJobState,
  TaskJobView,
  TaskQueue,
} from './task-job.types';
import type { WebhookDelivery } from './task-webhook';
import { WebhookDeliveries } from './webhook-deliveries';
import type { Entry } from './in-process-job.entry';
import { viewOfEntry } from './in-process-job.entry';
import { entryOfRecord, recordOfEntry } from './in-process-job.records';
import { TaskQueueMetrics } from './task-queue.metrics';

/** Finished jobs kept at most (oldest forgotten first), besides their age limit. */
const MAX_FINISHED = 10_000;

/**
 * The embedded default's queue: jobs run in this process through the same runner and
 * handlers as a BullMQ worker, with the same concurrency, retries with exponential
 * backoff, idempotency keys and webhooks. On the embedded file store every job is kept
 * there as it changes ({@link JobRecords}): a restart keeps the history and runs again
 * what was waiting or running. Otherwise nothing survives a restart — a deployment of
 * several instances that needs that configures Redis (BullMQ).
 */
@Injectable()
export class InProcessTaskQueue implements TaskQueue, OnModuleInit, OnModuleDestroy {
  readonly driver = 'in-process' as const;
  private readonly jobs = new Map<string, Entry>();
  private readonly pending: string[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  /** Jobs queued, running or retrying per tenant (`tasks.queue.maxJobsPerKey`). */
  private readonly open = new Map<string, number>();
  private active = 0;
  private closed = false;

  constructor(
    private readonly config: GatewayConfigService,
    private readonly runner: TaskJobRunner,
    private readonly deliveries: WebhookDeliveries,
    private readonly metrics: TaskQueueMetrics,
    private readonly limits: TaskEnqueueLimits,
    private readonly records: JobRecords,
  ) {
    metrics.readDepthFrom(() => this.counts());
  }

  /** Takes back the jobs the file store kept: the history, and the jobs still to run. */
  async onModuleInit(): Promise<void> {
    for (const record of await this.records.loadAll()) {
      const entry = entryOfRecord(record);
      this.jobs.set(entry.id, entry);
      if (entry.state === 'queued' || entry.state === 'retrying') {
        this.countOpen(entry, 1);
        this.pending.push(entry.id);
      }
      if (record.state !== entry.state) this.keep(entry);
    }
    this.pump();
  }

  async enqueue(task: EnqueueTask): Promise<EnqueueOutcome> {
    const headers = await this.limits.admit(task);
    const id = jobIdFor(task.caller, task.idempotencyKey);
    const requestHash = requestHashOf(task);
    const existing = this.jobs.get(id);
    if (existing) {
      if (existing.data.requestHash !== requestHash) {
        throw new TaskError(
          TaskErrorCode.IDEMPOTENCY_CONFLICT,
          'This Idempotency-Key was already used for a different task request',
          { param: 'Idempotency-Key' },
        );
      }
      this.metrics.jobs.inc({ type: task.type, outcome: 'deduplicated' });
      return { job: viewOfEntry(existing), created: false, headers };
    }
    const tenant = tenantOf(task.caller);
    if ((this.open.get(tenant) ?? 0) >= this.limits.maxJobsPerKey) throw this.limits.queueFull();
    const entry: Entry = {
      id,
      data: {
        type: task.type,
        input: task.input,
        model: task.model,
        caller: task.caller,
        webhookUrl: task.webhookUrl,
        trace: traceCarrier(),
        requestHash,
        nonce: randomUUID(),
      },
      state: 'queued',
      attempts: 0,
      maxAttempts: tasksConfigOf(this.config.current).queue.attempts,
      createdAt: Date.now(),
    };
    this.jobs.set(id, entry);
    this.countOpen(entry, 1);
    this.pending.push(id);
    this.keep(entry);
    this.metrics.jobs.inc({ type: task.type, outcome: 'enqueued' });
    // Viewed before the pump starts it: the caller is told what it enqueued.
    const queued = viewOfEntry(entry);
    this.pump();
    return { job: queued, created: true, headers };
  }

  get(id: string, owner?: Caller): Promise<TaskJobView | undefined> {
    const entry = this.jobs.get(id);
    if (!entry || (owner && !ownsJob(owner, entry.data.caller))) return Promise.resolve(undefined);
    return Promise.resolve(viewOfEntry(entry));
  }

  list(query: ListJobsQuery): Promise<TaskJobView[]> {
    const out: TaskJobView[] = [];
    for (const entry of [...this.jobs.values()].reverse()) {
      if (entry.state !== query.state) continue;
      if (query.owner && !ownsJob(query.owner, entry.data.caller)) continue;
      out.push(viewOfEntry(entry));
      if (out.length >= query.limit) break;
    }
    return Promise.resolve(out);
  }

  retry(id: string): Promise<TaskJobView> {
    const entry = this.jobs.get(id);
    if (!entry) throw new GatewayError(GatewayErrorCode.NOT_FOUND, `No job '${id}'`);
    if (entry.state !== 'failed') {
      throw GatewayError.invalidRequest(`Job '${id}' has not failed: only failed jobs re-run`);
    }
    // Re-inserted so the map's order (oldest first) stays the order of last activity.
    this.jobs.delete(id);
    Object.assign(entry, { state: 'queued', attempts: 0, error: undefined, finishedAt: undefined });
    this.jobs.set(id, entry);
    this.countOpen(entry, 1);
    this.pending.push(id);
    this.keep(entry);
    this.metrics.jobs.inc({ type: entry.data.type, outcome: 'rerun' });
    const queued = viewOfEntry(entry);
    this.pump();
    return Promise.resolve(queued);
  }

  counts(): Promise<Record<TaskJobState, number>> {
    const counts: Record<TaskJobState, number> = {
      queued: 0,
      running: 0,
      retrying: 0,
      completed: 0,
      failed: 0,
    };
    for (const entry of this.jobs.values()) counts[entry.state]++;
    return Promise.resolve(counts);
  }

  ping(): Promise<boolean> {
    return Promise.resolve(true);
  }

  /** Cancels running jobs and pending retries: an in-process queue ends with its process. */
  onModuleDestroy(): void {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    for (const entry of this.jobs.values()) entry.abort?.abort();
  }

  private pump(): void {
    const concurrency = tasksConfigOf(this.config.current).worker.concurrency;
    while (!this.closed && this.active < concurrency && this.pending.length > 0) {
      const entry = this.jobs.get(this.pending.shift()!);
      if (entry?.state === 'queued' || entry?.state === 'retrying') void this.start(entry);
    }
  }

  private async start(entry: Entry): Promise<void> {
    this.active++;
    entry.state = 'running';
    entry.attempts++;
    entry.abort = new AbortController();
    const now = Date.now();
    if (entry.startedAt === undefined) {
      this.metrics.wait.observe({ type: entry.data.type }, (now - entry.createdAt) / 1_000);
    }
    entry.startedAt = now;
    this.keep(entry);
    try {
      entry.result = await this.runner.run(entry.data, {
        jobId: entry.id,
        attempt: entry.attempts,
        signal: entry.abort.signal,
        system: 'in-process',
      });
      this.finish(entry, 'completed');
    } catch (error) {
      const failure = error instanceof TaskRunFailure ? error.failure : classify(error);
      entry.error = failure;
      if (failure.retryable && entry.attempts < entry.maxAttempts && !this.closed) {
        entry.state = 'retrying';
        this.keep(entry);
        const { backoffMs } = tasksConfigOf(this.config.current).queue;
        this.later(backoffMs * 2 ** (entry.attempts - 1), () => {
          this.pending.push(entry.id);
          this.pump();
        });
      } else {
        this.finish(entry, 'failed');
      }
    } finally {
      entry.abort = undefined;
      this.active--;
      this.pump();
    }
  }

  private finish(entry: Entry, state: 'completed' | 'failed'): void {
    entry.state = state;
    this.countOpen(entry, -1);
    entry.finishedAt = Date.now();
    if (state === 'completed') entry.error = undefined;
    this.metrics.jobs.inc({ type: entry.data.type, outcome: state });
    // Re-inserted: the map stays ordered by last activity, so trimming drops the oldest.
    this.jobs.delete(entry.id);
    this.jobs.set(entry.id, entry);
    this.keep(entry);
    this.trim();
    if (entry.data.webhookUrl) {
      this.deliver(
        { id: `${entry.id}:${state}`, url: entry.data.webhookUrl, payload: viewOfEntry(entry) },
        1,
      );
    }
  }

  /** One webhook attempt; a failed one is tried again later unless it was the last. */
  private deliver(delivery: WebhookDelivery, attempt: number): void {
    // Closing: this attempt is the last one (the timers of later ones would not run).
    const max = this.closed ? attempt : undefined;
    void this.deliveries.attempt(delivery, attempt, max).then((outcome) => {
      if (outcome.delivered || outcome.final || this.closed) return;
      this.later(this.deliveries.retryDelayMs(attempt), () => this.deliver(delivery, attempt + 1));
    });
  }

  /** Writes the job as it is now to the file store (a no-op on other stores). */
  private keep(entry: Entry): void {
    if (this.records.enabled) void this.records.save(recordOfEntry(entry));
  }

  /** Counts a job in (1) or out of (-1) its tenant's open jobs. */
  private countOpen(entry: Entry, delta: 1 | -1): void {
    const tenant = tenantOf(entry.data.caller);
    const count = (this.open.get(tenant) ?? 0) + delta;
    if (count > 0) this.open.set(tenant, count);
    else this.open.delete(tenant);
  }

  private later(ms: number, work: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      work();
    }, ms);
    timer.unref();
    this.timers.add(timer);
  }

  /** Forgets finished jobs past their keep time, and the oldest beyond MAX_FINISHED. */
  private trim(): void {
    const { keepCompletedSeconds, keepFailedSeconds } = tasksConfigOf(this.config.current).queue;
    const now = Date.now();
    let finished = 0;
    for (const entry of this.jobs.values()) {
      if (entry.state === 'completed' || entry.state === 'failed') finished++;
    }
    const forgotten: string[] = [];
    for (const [id, entry] of this.jobs) {
      if (entry.finishedAt === undefined) continue;
      const keepMs = (entry.state === 'failed' ? keepFailedSeconds : keepCompletedSeconds) * 1_000;
      if (finished > MAX_FINISHED || now - entry.finishedAt > keepMs) {
        this.jobs.delete(id);
        forgotten.push(id);
        finished--;
      } else break;
    }
    void this.records.remove(forgotten);
  }
}
