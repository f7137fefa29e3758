import {
  GatewayConfigService,
  GatewayErrorCode,
  GatewayMetrics,
  loadGatewayConfig,
} from '@ai-gateway/core';
import type { GatewayConfig } from '@ai-gateway/core';
import { tasksSection } from '../config/tasks.section';
import { Queue, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { TaskErrorCode } from '../errors/task.error';
import { ResumeTaskType } from '../resume-task-type.enum';
import type { TaskResult } from '../task-result';
import { BullMqTaskQueue } from './bullmq-task.queue';
import { queueRedisOptions } from './queue-redis';
import type { TaskJobData } from './task-job.types';
import { TaskQueueName } from './task-job.types';
import { TaskQueueMetrics } from './task-queue.metrics';
import { enqueueLimitsFor } from './task-queue.fixtures';
import { TenantJobsRepository } from './tenant-jobs.repository';

const RESULT: TaskResult = {
  type: ResumeTaskType.PARSE,
  output: { ok: true },
  model: { provider: 'openai', model: 'gpt-4o-mini', fake: false },
  calls: [],
  usage: {
    promptTokens: 1,
    completionTokens: 1,
    totalTokens: 2,
    costMicroUsd: 3,
    costUsd: 0.000003,
  },
};

function configFor(
  prefix: string,
  redisUrl = 'redis://127.0.0.1:6379',
  queueExtra: Record<string, unknown> = {},
): GatewayConfig {
  return loadGatewayConfig({
    config: {
      redis: { url: redisUrl },
      tasks: { queue: { prefix, attempts: 3, backoffMs: 10, ...queueExtra } },
    },
    env: {},
    sections: [tasksSection],
  });
}

/** A producer over `queue` with the enqueue limits (an in-memory rate limiter). */
function driverFor(queue: Queue<TaskJobData, TaskResult>, config: GatewayConfig): BullMqTaskQueue {
  const service = new GatewayConfigService(config);
  return new BullMqTaskQueue(
    queue,
    service,
    new TaskQueueMetrics(new GatewayMetrics()),
    enqueueLimitsFor(service),
    new TenantJobsRepository(queue),
  );
}

/** The BullMQ driver against the machine's Redis, each test under its own key prefix. */
describe(BullMqTaskQueue.name, () => {
  let prefix: string;
  let queue: Queue<TaskJobData, TaskResult>;
  let tasks: BullMqTaskQueue;
  const closers: Array<() => Promise<unknown>> = [];

  beforeEach(() => {
    prefix = `int-queue-${randomUUID().slice(0, 8)}`;
    const config = configFor(prefix);
    queue = new Queue(TaskQueueName.TASKS, {
      connection: queueRedisOptions(config, 'producer'),
      prefix,
    });
    tasks = driverFor(queue, config);
    closers.push(async () => {
      await queue.obliterate({ force: true });
      // The per-tenant job sets live beside the queue's keys; obliterate leaves them.
      const client = (await queue.client) as unknown as Redis;
      const left = await client.keys(`${prefix}:*`);
      if (left.length > 0) await client.del(...left);
      await queue.close();
    });
  });

  afterEach(async () => {
    while (closers.length > 0) await closers.pop()!();
  });

  const parse = (text: string) => ({ type: ResumeTaskType.PARSE, input: { resumeText: text } });

  it('enqueues a job with the configured attempts and backoff', async () => {
    const { job, created } = await tasks.enqueue({ ...parse('cv'), caller: { keyId: 'k1' } });
    expect(created).toBe(true);
    expect(job).toMatchObject({
      object: 'task.job',
      type: 'parse',
      state: 'queued',
      attempts: 0,
      maxAttempts: 3,
    });
    const stored = (await queue.getJob(job.id))!;
    expect(stored.opts).toMatchObject({ attempts: 3, backoff: { type: 'exponential', delay: 10 } });
    expect(stored.data).toMatchObject({
      type: 'parse',
      input: { resumeText: 'cv' },
      caller: { keyId: 'k1' },
    });
    expect(await tasks.counts()).toMatchObject({ queued: 1, running: 0, failed: 0 });
  });

  it('makes one job of the same idempotency key, from two producers at once', async () => {
    const other = driverFor(queue, configFor(prefix));
    const request = { ...parse('cv'), caller: { keyId: 'k1' }, idempotencyKey: 'upload-1' };
    const outcomes = await Promise.all([
      tasks.enqueue(request),
      other.enqueue(request),
      tasks.enqueue(request),
    ]);
    expect(new Set(outcomes.map((o) => o.job.id)).size).toBe(1);
    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    expect(await queue.getJobCountByTypes('waiting')).toBe(1);

    await expect(
      tasks.enqueue({ ...request, input: { resumeText: 'another cv' } }),
    ).rejects.toMatchObject({
      code: TaskErrorCode.IDEMPOTENCY_CONFLICT,
    });
    // Another tenant's identical key is another job.
    const theirs = await tasks.enqueue({ ...request, caller: { keyId: 'k2' } });
    expect(theirs.created).toBe(true);
    expect(theirs.job.id).not.toBe(outcomes[0].job.id);
  });

  it('shows a job to its owner only, and lists failed jobs with their error', async () => {
    const { job } = await tasks.enqueue({ ...parse('cv'), caller: { keyId: 'k1' } });
    expect(await tasks.get(job.id, { keyId: 'k2' })).toBeUndefined();
    expect(await tasks.get('job_00000000000000000000000000000000')).toBeUndefined();

    const worker = new Worker<TaskJobData, TaskResult>(
      TaskQueueName.TASKS,
      () => Promise.reject(new UnrecoverableError('invalid_model_output: no model answered well')),
      { connection: queueRedisOptions(configFor(prefix), 'worker'), prefix },
    );
    closers.push(() => worker.close());
    const failed = await waitFor(
      () => tasks.get(job.id, { keyId: 'k1' }),
      (v) => v?.state === 'failed',
    );
    expect(failed).toMatchObject({
      state: 'failed',
      progress: 100,
      error: { code: 'invalid_model_output', message: 'no model answered well', retryable: false },
    });
    expect((await tasks.list({ state: 'failed', limit: 10 })).map((j) => j.id)).toEqual([job.id]);
    expect(await tasks.list({ state: 'failed', limit: 10, owner: { keyId: 'k2' } })).toEqual([]);
    await worker.close();

    // A re-run gets its attempts back and completes on a healthy worker.
    const rerun = await tasks.retry(job.id);
    expect(rerun.state).toBe('queued');
    const healthy = new Worker<TaskJobData, TaskResult>(
      TaskQueueName.TASKS,
      () => Promise.resolve(RESULT),
      {
        connection: queueRedisOptions(configFor(prefix), 'worker'),
        prefix,
      },
    );
    closers.push(() => healthy.close());
    const done = await waitFor(
      () => tasks.get(job.id),
      (v) => v?.state === 'completed',
    );
    expect(done?.result).toEqual(RESULT);
    await expect(tasks.retry(job.id)).rejects.toMatchObject({
      code: GatewayErrorCode.INVALID_REQUEST,
    });
    await expect(tasks.retry('job_missing')).rejects.toMatchObject({
      code: GatewayErrorCode.NOT_FOUND,
    });
  });

  it("takes a request per job from the caller's limits: 5 per minute enqueue 5, no job for the rest (issue 13, item 12)", async () => {
    const caller = { keyId: 'k-limited', keyLimits: { requestsPerMinute: 5 } };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 12 }, (_, n) => tasks.enqueue({ ...parse(`cv ${n}`), caller })),
    );
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(5);
    for (const o of outcomes) {
      if (o.status === 'rejected') {
        expect(o.reason).toMatchObject({ code: GatewayErrorCode.RATE_LIMIT_EXCEEDED });
      }
    }
    expect(await queue.getJobCountByTypes('waiting')).toBe(5);
  });

  it('refuses a key at its queue-depth cap while another key still enqueues; finished jobs make room (issue 13, item 12)', async () => {
    const capped = driverFor(queue, configFor(prefix, undefined, { maxJobsPerKey: 3 }));
    const a = { keyId: 'a' };
    const first = await capped.enqueue({ ...parse('cv 0'), caller: a, idempotencyKey: 'same' });
    await capped.enqueue({ ...parse('cv 1'), caller: a });
    await capped.enqueue({ ...parse('cv 2'), caller: a });
    await expect(capped.enqueue({ ...parse('cv 3'), caller: a })).rejects.toThrow(
      /tasks\.queue\.maxJobsPerKey/,
    );
    expect((await capped.enqueue({ ...parse('cv 0'), caller: { keyId: 'b' } })).created).toBe(true);
    const again = await capped.enqueue({ ...parse('cv 0'), caller: a, idempotencyKey: 'same' });
    expect(again).toMatchObject({ created: false, job: { id: first.job.id } });
    expect(await queue.getJobCountByTypes('waiting')).toBe(4);

    // Once a worker has finished them, the key may enqueue again (re-checked at most once a second).
    const worker = new Worker<TaskJobData, TaskResult>(
      TaskQueueName.TASKS,
      () => Promise.resolve(RESULT),
      { connection: queueRedisOptions(configFor(prefix), 'worker'), prefix },
    );
    closers.push(() => worker.close());
    await waitFor(
      () => queue.getJobCountByTypes('completed'),
      (n) => n === 4,
    );
    const later = await waitFor(
      () => capped.enqueue({ ...parse('cv 4'), caller: a }).catch(() => undefined),
      (outcome) => outcome !== undefined,
    );
    expect(later?.created).toBe(true);
  });

  it('answers a ping while Redis is up', async () => {
    expect(await tasks.ping(1_000)).toBe(true);
  });
});

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; i < 400; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('condition never held within 10 s');
}
