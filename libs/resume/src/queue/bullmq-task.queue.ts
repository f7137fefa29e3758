import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import {
  GatewayConfigService,
  GatewayError,
  GatewayErrorCode,
  traceCarrier,
} from '@ai-gateway/core';
import type { Caller } from '@ai-gateway/core';
import { tasksConfigOf } from '../config/tasks.section';
import type { JobType, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { TaskError, TaskErrorCode } from '../errors/task.error';
import type { TaskResult } from '../task-result';
import { jobIdFor, ownsJob, requestHashOf } from './task-job.identity';
import { TaskEnqueueLimits } from './task-enqueue-limits';
import { TenantJobsRepository } from './tenant-jobs.repository';
import type { TaskBullJob } from './bullmq-job.view';
import { viewIn, viewOf } from './bullmq-job.view';
import type {
  EnqueueOutcome,
  EnqueueTask,
  ListJobsQuery,
  TaskJobData,
  TaskJobState,
  TaskJobView,
  TaskQueue,
} from './task-job.types';
import { TaskQueueName } from './task-job.types';
import { TaskQueueMetrics } from './task-queue.metrics';

/** How long a producer waits on Redis before answering 503 (the connection fails fast). */
const REDIS_WAIT_MS = 2_000;
/** Most jobs scanned for one owner's list (the admin's list needs no scan). */
const LIST_SCAN = 1_000;

const BULL_STATES: Readonly<Record<TaskJobState, JobType[]>> = {
  queued: ['waiting', 'prioritized', 'delayed'],
  running: ['active'],
  retrying: ['delayed'],
  completed: ['completed'],
  failed: ['failed'],
};

/**
 * Jobs in Redis through BullMQ: the producer side (the gateway app and library hosts
 * enqueue and read here; `apps/worker` processes). The idempotency key becomes the job
 * id, which BullMQ adds at most once (atomically, in Lua), so two gateway instances
 * given the same key create one job.
 */
@Injectable()
export class BullMqTaskQueue implements TaskQueue {
  readonly driver = 'bullmq' as const;

  constructor(
    @InjectQueue(TaskQueueName.TASKS) private readonly queue: Queue<TaskJobData, TaskResult>,
    private readonly config: GatewayConfigService,
    private readonly metrics: TaskQueueMetrics,
    private readonly limits: TaskEnqueueLimits,
    private readonly tenants: TenantJobsRepository,
  ) {
    metrics.readDepthFrom(() => this.counts());
  }

  async enqueue(task: EnqueueTask): Promise<EnqueueOutcome> {
    const headers = await this.limits.admit(task);
    const id = jobIdFor(task.caller, task.idempotencyKey);
    const trace = traceCarrier();
    const data: TaskJobData = {
      type: task.type,
      input: task.input,
      ...(task.model ? { model: task.model } : {}),
      ...(task.caller ? { caller: task.caller } : {}),
      ...(task.webhookUrl ? { webhookUrl: task.webhookUrl } : {}),
      ...(trace ? { trace } : {}),
      requestHash: requestHashOf(task),
      nonce: randomUUID(),
    };
    const settings = tasksConfigOf(this.config.current).queue;
    // A reservation whose add then fails is dropped by the next prune (no job behind it).
    const reserved = await redis(() =>
      this.tenants.reserve(task.caller, id, settings.maxJobsPerKey, Date.now()),
    );
    if (!reserved) throw this.limits.queueFull();
    const stored = await redis(async () => {
      await this.queue.add(task.type, data, {
        jobId: id,
        attempts: settings.attempts,
        backoff: { type: 'exponential', delay: settings.backoffMs },
        removeOnComplete: { age: settings.keepCompletedSeconds },
        removeOnFail: { age: settings.keepFailedSeconds },
      });
      // `add` of an id already held returns our data, not the stored job's: read it back.
      return this.queue.getJob(id);
    });
    if (!stored) {
      throw new TaskError(
        TaskErrorCode.QUEUE_UNAVAILABLE,
        `Job ${id} was removed while it was being enqueued; send the request again`,
      );
    }
    if (stored.data.requestHash !== data.requestHash) {
      throw new TaskError(
        TaskErrorCode.IDEMPOTENCY_CONFLICT,
        'This Idempotency-Key was already used for a different task request',
        { param: 'Idempotency-Key' },
      );
    }
    const created = stored.data.nonce === data.nonce;
    this.metrics.jobs.inc({ type: task.type, outcome: created ? 'enqueued' : 'deduplicated' });
    return { job: await redis(() => viewOf(stored as TaskBullJob)), created, headers };
  }

  async get(id: string, owner?: Caller): Promise<TaskJobView | undefined> {
    return redis(async () => {
      // The state first, then the job: a job only moves forward, so its record is then at
      // least as new as the state (read the other way round, a job failing in between
      // showed as failed without its reason).
      const state = await this.queue.getJobState(id);
      if (state === 'unknown') return undefined;
      const job = await this.queue.getJob(id);
      if (!job || (owner && !ownsJob(owner, job.data.caller))) return undefined;
      return viewIn(job, state);
    });
  }

  async list(query: ListJobsQuery): Promise<TaskJobView[]> {
    return redis(async () => {
      const scan = query.owner ? LIST_SCAN : query.limit;
      const views: TaskJobView[] = [];
      // One BullMQ state at a time: each job's state is then known, not read back per job.
      for (const bullState of BULL_STATES[query.state]) {
        const jobs = (await this.queue.getJobs(bullState, 0, scan - 1, false)) as TaskBullJob[];
        for (const job of jobs) {
          if (!job || (query.owner && !ownsJob(query.owner, job.data.caller))) continue;
          const view = viewIn(job, bullState);
          if (view.state === query.state) views.push(view);
          if (views.length >= query.limit) return views;
        }
      }
      return views;
    });
  }

  async retry(id: string): Promise<TaskJobView> {
    return redis(async () => {
      const job = await this.queue.getJob(id);
      if (!job) throw new GatewayError(GatewayErrorCode.NOT_FOUND, `No job '${id}'`);
      if (!(await job.isFailed())) {
        throw GatewayError.invalidRequest(`Job '${id}' has not failed: only failed jobs re-run`);
      }
      await job.retry('failed', { resetAttemptsMade: true });
      this.metrics.jobs.inc({ type: job.data.type, outcome: 'rerun' });
      const again = (await this.queue.getJob(id)) as TaskBullJob;
      return viewOf(again);
    });
  }

  async counts(): Promise<Record<TaskJobState, number>> {
    const c = await redis(() =>
      this.queue.getJobCounts('waiting', 'prioritized', 'delayed', 'active', 'completed', 'failed'),
    );
    return {
      queued: (c.waiting ?? 0) + (c.prioritized ?? 0),
      retrying: c.delayed ?? 0,
      running: c.active ?? 0,
      completed: c.completed ?? 0,
      failed: c.failed ?? 0,
    };
  }

  async ping(timeoutMs: number): Promise<boolean> {
    try {
      // BullMQ 5 connects through ioredis; its own client type leaves out PING.
      const client = (await withTimeout(this.queue.client, timeoutMs)) as unknown as Redis;
      return (await withTimeout(client.ping(), timeoutMs)) === 'PONG';
    } catch {
      return false;
    }
  }
}

/** A Redis round trip bounded in time: an outage is a 503 now, not a hung request. */
async function redis<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await withTimeout(work(), REDIS_WAIT_MS);
  } catch (error) {
    if (error instanceof GatewayError || error instanceof TaskError) throw error;
    throw new TaskError(
      TaskErrorCode.QUEUE_UNAVAILABLE,
      'The job queue is unavailable (Redis did not answer); try again shortly',
      { retryable: true, cause: error },
    );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
