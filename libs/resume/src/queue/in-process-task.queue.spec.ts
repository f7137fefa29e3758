import {
  GatewayConfigService,
  GatewayError,
  GatewayErrorCode,
  GatewayMetrics,
  loadGatewayConfig,
} from '@ai-gateway/core';
import { tasksSection } from '../config/tasks.section';
import { TaskError, TaskErrorCode } from '../errors/task.error';
import { ResumeTaskType } from '../resume-task-type.enum';
import { InProcessTaskQueue } from './in-process-task.queue';
import type { TaskJobRunner } from './task-job.runner';
import { TaskRunFailure, classify } from './task-job.runner';
import type { TaskJobView } from './task-job.types';
import type { WebhookDelivery, WebhookSender } from './task-webhook';
import { WebhookDeliveries } from './webhook-deliveries';
import { TaskQueueMetrics } from './task-queue.metrics';
import { ScriptedRunner, enqueueLimitsFor, flush, until } from './task-queue.fixtures';
import { JobRecords } from '@ai-gateway/core';
import type { UsageDatabase } from '@ai-gateway/core/testing';

describe(InProcessTaskQueue.name, () => {
  let runner: ScriptedRunner;
  let sent: WebhookDelivery[];
  let queue: InProcessTaskQueue;

  /** A queue under the test's settings, plus `extra` config (rate limits, queue caps). */
  function build(
    extra: { queue?: Record<string, unknown>; rateLimits?: unknown; records?: JobRecords } = {},
  ): void {
    runner = new ScriptedRunner();
    sent = [];
    const config = new GatewayConfigService(
      loadGatewayConfig({
        config: {
          tasks: {
            queue: { attempts: 3, backoffMs: 0, ...extra.queue },
            worker: { concurrency: 2 },
            webhooks: { secret: 'whsec-0123456789abcdef', backoffMs: 0, attempts: 2 },
          },
          ...(extra.rateLimits ? { rateLimits: extra.rateLimits } : {}),
        },
        env: {},
        sections: [tasksSection],
      }),
    );
    const sender = {
      send: (delivery: WebhookDelivery) => {
        sent.push(delivery);
        return Promise.resolve();
      },
    } as unknown as WebhookSender;
    const metrics = new TaskQueueMetrics(new GatewayMetrics());
    queue = new InProcessTaskQueue(
      config,
      runner as unknown as TaskJobRunner,
      new WebhookDeliveries(sender, metrics, config),
      metrics,
      enqueueLimitsFor(config),
      extra.records ?? new JobRecords({ isFile: false } as UsageDatabase),
    );
  }
  beforeEach(() => build());
  afterEach(() => queue.onModuleDestroy());

  const task = (n: number) => ({ type: ResumeTaskType.PARSE, input: { resumeText: `cv ${n}` } });

  it('runs at most `concurrency` jobs at once, the rest wait their turn', async () => {
    const jobs = await Promise.all([1, 2, 3].map((n) => queue.enqueue(task(n))));
    expect(jobs.every((j) => j.created)).toBe(true);
    await flush();
    expect(runner.runs).toHaveLength(2);
    expect(await queue.counts()).toMatchObject({ running: 2, queued: 1 });
    runner.runs[0].settle();
    await until(() => runner.runs.length === 3);
    const done = (await queue.get(jobs[0].job.id)) as TaskJobView;
    expect(done).toMatchObject({ state: 'completed', progress: 100, attempts: 1 });
    expect(done.result?.output).toEqual({ echoed: { resumeText: 'cv 1' } });
  });

  it('gives the same idempotency key the same job, and refuses it for another request', async () => {
    const first = await queue.enqueue({ ...task(1), idempotencyKey: 'k1' });
    const again = await queue.enqueue({ ...task(1), idempotencyKey: 'k1' });
    expect(again).toMatchObject({ created: false, job: { id: first.job.id } });
    await expect(queue.enqueue({ ...task(2), idempotencyKey: 'k1' })).rejects.toMatchObject({
      code: TaskErrorCode.IDEMPOTENCY_CONFLICT,
    });
    await flush();
    expect(runner.runs).toHaveLength(1);
  });

  it('retries a retryable failure, then fails for good after the last attempt', async () => {
    const { job } = await queue.enqueue(task(1));
    const outage = new TaskRunFailure(
      classify(new GatewayError(GatewayErrorCode.TIMEOUT, 'provider timed out')),
    );
    for (let attempt = 1; attempt <= 3; attempt++) {
      await until(() => runner.runs.length === attempt);
      expect(runner.runs[attempt - 1].run.attempt).toBe(attempt);
      runner.runs[attempt - 1].settle(outage);
    }
    await until(async () => (await queue.get(job.id))?.state === 'failed');
    expect(await queue.get(job.id)).toMatchObject({
      state: 'failed',
      attempts: 3,
      error: { code: 'timeout', retryable: false },
    });
    expect(await queue.list({ state: 'failed', limit: 10 })).toHaveLength(1);
  });

  it('does not retry invalid model output', async () => {
    const { job } = await queue.enqueue(task(1));
    await until(() => runner.runs.length === 1);
    runner.runs[0].settle(
      new TaskRunFailure(classify(new TaskError(TaskErrorCode.INVALID_OUTPUT, 'bad'))),
    );
    await until(async () => (await queue.get(job.id))?.state === 'failed');
    expect(runner.runs).toHaveLength(1);
    expect((await queue.get(job.id))?.error?.code).toBe('invalid_model_output');
  });

  it('re-runs a failed job on request, with its attempts reset', async () => {
    const { job } = await queue.enqueue(task(1));
    await until(() => runner.runs.length === 1);
    runner.runs[0].settle(new TaskRunFailure(classify(new Error('bug'))));
    await until(async () => (await queue.get(job.id))?.state === 'failed');
    expect(() => queue.retry('job_missing')).toThrow(
      expect.objectContaining({ code: 'not_found' }),
    );
    expect((await queue.retry(job.id)).state).toBe('queued');
    await until(() => runner.runs.length === 2);
    runner.runs[1].settle();
    await until(async () => (await queue.get(job.id))?.state === 'completed');
    expect((await queue.get(job.id))?.attempts).toBe(1);
  });

  it('shows a caller only its own jobs', async () => {
    const mine = await queue.enqueue({ ...task(1), caller: { keyId: 'a' } });
    expect(await queue.get(mine.job.id, { keyId: 'a' })).toBeDefined();
    expect(await queue.get(mine.job.id, { keyId: 'b' })).toBeUndefined();
    expect(await queue.list({ state: 'running', limit: 10, owner: { keyId: 'b' } })).toEqual([]);
  });

  it('calls the webhook once the job has finished', async () => {
    const { job } = await queue.enqueue({ ...task(1), webhookUrl: 'https://example.com/hook' });
    await until(() => runner.runs.length === 1);
    expect(sent).toHaveLength(0);
    runner.runs[0].settle();
    await until(() => sent.length === 1);
    expect(sent[0]).toMatchObject({
      id: `${job.id}:completed`,
      url: 'https://example.com/hook',
      payload: { id: job.id, state: 'completed' },
    });
  });

  describe('limits at enqueue (issue 13, item 12)', () => {
    const limited = { keyId: 'k-limited', keyLimits: { requestsPerMinute: 5 } };

    it("takes a request per job from the caller's limits: 5 per minute enqueue 5, then 429 and no job", async () => {
      queue.onModuleDestroy();
      build();
      const outcomes = await Promise.allSettled(
        Array.from({ length: 12 }, (_, n) => queue.enqueue({ ...task(n), caller: limited })),
      );
      const created = outcomes.filter((o) => o.status === 'fulfilled');
      const refused = outcomes.flatMap((o) =>
        o.status === 'rejected' ? [o.reason as GatewayError] : [],
      );
      expect(created).toHaveLength(5);
      expect(refused).toHaveLength(7);
      for (const error of refused) {
        expect(error).toMatchObject({
          code: GatewayErrorCode.RATE_LIMIT_EXCEEDED,
          retryable: true,
        });
        expect(error.retryAfterMs).toBeGreaterThan(0);
      }
      const counts = await queue.counts();
      expect(counts.queued + counts.running).toBe(5);
    });

    it('takes the input size in tokens when a tokens-per-minute limit applies', async () => {
      queue.onModuleDestroy();
      build();
      const caller = { keyId: 'k-tokens', keyLimits: { tokensPerMinute: 1_000 } };
      // 3,000 characters ≈ 750 tokens: one fits the minute's 1,000, a second does not.
      const big = { type: ResumeTaskType.PARSE, input: { resumeText: 'x'.repeat(3_000) } };
      await queue.enqueue({ ...big, caller, size: 3_000 });
      await expect(queue.enqueue({ ...big, caller, size: 3_000 })).rejects.toMatchObject({
        code: GatewayErrorCode.RATE_LIMIT_EXCEEDED,
      });
      // Larger than the limit itself: refused as not retryable, whatever the wait.
      await expect(
        queue.enqueue({ ...big, caller: { ...caller, keyId: 'k-other' }, size: 8_000 }),
      ).rejects.toMatchObject({ code: GatewayErrorCode.RATE_LIMIT_EXCEEDED, retryable: false });
    });

    it('refuses a key at its queue-depth cap while another key still enqueues; a finished job makes room', async () => {
      queue.onModuleDestroy();
      build({ queue: { maxJobsPerKey: 3 } });
      const a = { keyId: 'a' };
      const first = await queue.enqueue({ ...task(0), caller: a, idempotencyKey: 'same' });
      for (let n = 1; n < 3; n++) await queue.enqueue({ ...task(n), caller: a });
      await expect(queue.enqueue({ ...task(9), caller: a })).rejects.toMatchObject({
        code: GatewayErrorCode.RATE_LIMIT_EXCEEDED,
        message: expect.stringContaining('tasks.queue.maxJobsPerKey'),
      });
      expect((await queue.enqueue({ ...task(1), caller: { keyId: 'b' } })).created).toBe(true);
      // An idempotent repeat names a job the key already has: answered, not refused.
      const again = await queue.enqueue({ ...task(0), caller: a, idempotencyKey: 'same' });
      expect(again).toMatchObject({ created: false, job: { id: first.job.id } });
      await until(() => runner.runs.length === 2);
      runner.runs[0].settle();
      await until(async () => (await queue.counts()).completed === 1);
      expect((await queue.enqueue({ ...task(10), caller: a })).created).toBe(true);
      await expect(queue.enqueue({ ...task(11), caller: a })).rejects.toMatchObject({
        code: GatewayErrorCode.RATE_LIMIT_EXCEEDED,
      });
    });
  });
});
