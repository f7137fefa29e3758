import {
  GatewayConfigService,
  GatewayMetrics,
  JobRecords,
  loadGatewayConfig,
} from '@ai-gateway/core';
import { UsageDatabase, createUsageDataSource } from '@ai-gateway/core/testing';
import { Logger } from '@nestjs/common';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tasksSection } from '../config/tasks.section';
import { TaskError, TaskErrorCode } from '../errors/task.error';
import { ResumeTaskType } from '../resume-task-type.enum';
import { InProcessTaskQueue } from './in-process-task.queue';
import { INTERRUPTED } from './in-process-job.records';
import type { TaskJobRunner } from './task-job.runner';
import type { WebhookSender } from './task-webhook';
import { WebhookDeliveries } from './webhook-deliveries';
import { TaskQueueMetrics } from './task-queue.metrics';
import { ScriptedRunner, enqueueLimitsFor, until } from './task-queue.fixtures';

const task = (n: number) => ({ type: ResumeTaskType.PARSE, input: { resumeText: `cv ${n}` } });

/**
 * Issue 16: on the embedded file store the in-process queue's jobs are kept in SQLite, so
 * a restart keeps the job history (results, errors) and runs again what was waiting.
 */
describe(`${InProcessTaskQueue.name} on the file store`, () => {
  let dir: string;
  const open: Array<{ queue: InProcessTaskQueue; database: UsageDatabase }> = [];

  /** A queue (concurrency 1) over the file store in `dir`, started as the module would be. */
  async function start(attempts = 2) {
    const config = new GatewayConfigService(
      loadGatewayConfig({
        config: {
          tasks: { queue: { attempts, backoffMs: 0 }, worker: { concurrency: 1 } },
        },
        env: {},
        sections: [tasksSection],
      }),
    );
    const database = new UsageDatabase(createUsageDataSource({ store: 'file', dataDir: dir }), {
      runMigrations: true,
    });
    const records = new JobRecords(database);
    const runner = new ScriptedRunner();
    const metrics = new TaskQueueMetrics(new GatewayMetrics());
    const sender = { send: () => Promise.resolve() } as unknown as WebhookSender;
    const queue = new InProcessTaskQueue(
      config,
      runner as unknown as TaskJobRunner,
      new WebhookDeliveries(sender, metrics, config),
      metrics,
      enqueueLimitsFor(config),
      records,
    );
    await queue.onModuleInit();
    open.push({ queue, database });
    return { queue, runner, records };
  }

  /** Stops a queue as a process would end: running jobs are cut, the store closed. */
  async function stop(queue: InProcessTaskQueue, records: JobRecords) {
    await records.settled();
    const index = open.findIndex((o) => o.queue === queue);
    const [{ database }] = open.splice(index, 1);
    queue.onModuleDestroy();
    await database.close();
  }

  beforeAll(() => {
    Logger.overrideLogger(false);
  });
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'queue-records-'));
  });
  afterEach(async () => {
    for (const { queue, database } of open.splice(0)) {
      queue.onModuleDestroy();
      await database.close();
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps finished jobs with their results and errors, and runs the waiting ones after a restart', async () => {
    const first = await start();
    const done = await first.queue.enqueue(task(1));
    const failed = await first.queue.enqueue(task(2));
    const waiting = await first.queue.enqueue(task(3));
    await until(() => first.runner.runs.length === 1);
    first.runner.runs[0].settle();
    await until(() => first.runner.runs.length === 2);
    first.runner.runs[1].settle(new TaskError(TaskErrorCode.INVALID_OUTPUT, 'not a resume'));
    await until(() => first.runner.runs.length === 3);
    // Job 3 is running when the process stops.
    await stop(first.queue, first.records);

    const second = await start();
    expect(await second.queue.get(done.job.id)).toMatchObject({
      state: 'completed',
      result: { output: { echoed: { resumeText: 'cv 1' } } },
    });
    expect(await second.queue.get(failed.job.id)).toMatchObject({
      state: 'failed',
      error: { code: 'invalid_model_output', message: 'not a resume', retryable: false },
    });
    // The interrupted job had an attempt left: it runs again, its second attempt.
    await until(() => second.runner.runs.length === 1);
    expect(second.runner.runs[0].data.input).toEqual({ resumeText: 'cv 3' });
    second.runner.runs[0].settle();
    await until(async () => (await second.queue.get(waiting.job.id))?.state === 'completed');
    expect(await second.queue.get(waiting.job.id)).toMatchObject({ attempts: 2 });
    expect(await second.queue.counts()).toMatchObject({ completed: 2, failed: 1, running: 0 });
    // A failed job re-runs after the restart too, and the re-run is kept.
    await second.queue.retry(failed.job.id);
    await until(() => second.runner.runs.length === 2);
    second.runner.runs[1].settle();
    await until(async () => (await second.queue.get(failed.job.id))?.state === 'completed');
    await stop(second.queue, second.records);

    const third = await start();
    expect(await third.queue.counts()).toMatchObject({ completed: 3, failed: 0 });
    expect(third.runner.runs).toHaveLength(0);
  });

  it('a job interrupted on its last attempt is failed, not run a third time', async () => {
    const first = await start(1);
    const job = await first.queue.enqueue(task(1));
    await until(() => first.runner.runs.length === 1);
    await stop(first.queue, first.records);

    const second = await start(1);
    expect(await second.queue.get(job.job.id)).toMatchObject({
      state: 'failed',
      error: { code: INTERRUPTED.code, retryable: false },
    });
    expect(second.runner.runs).toHaveLength(0);
  });

  it('the idempotency key still names the same job after a restart', async () => {
    const first = await start();
    const caller = { keyId: 'key_1' };
    const made = await first.queue.enqueue({ ...task(1), caller, idempotencyKey: 'abc' });
    await until(() => first.runner.runs.length === 1);
    first.runner.runs[0].settle();
    await until(async () => (await first.queue.get(made.job.id))?.state === 'completed');
    await stop(first.queue, first.records);

    const second = await start();
    const again = await second.queue.enqueue({ ...task(1), caller, idempotencyKey: 'abc' });
    expect(again).toMatchObject({ created: false, job: { id: made.job.id, state: 'completed' } });
  });
});
