import type { OnApplicationBootstrap } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { InjectQueue, WorkerHost } from '@nestjs/bullmq';
import { GatewayConfigService } from '@ai-gateway/core';
import type { TaskBullJob, TaskJobView } from '@ai-gateway/resume';
import {
  TaskJobRunner,
  TaskQueueMetrics,
  TaskQueueName,
  TaskRunFailure,
  viewIn,
} from '@ai-gateway/resume';
import type { TaskResult, WebhookDelivery } from '@ai-gateway/resume';
import { Queue, UnrecoverableError, WaitingError } from 'bullmq';

/**
 * Runs resume task jobs (`TaskQueueName.TASKS`). `WorkerModule` applies `@Processor` with
 * the configured concurrency and lock timings, with autorun off: the worker starts taking
 * jobs only once the whole app is up. A failure is retried by BullMQ (exponential
 * backoff) only when the runner calls it retryable; a run cancelled by shutdown puts the
 * job back in the wait list for another worker instead of failing it.
 */
@Injectable()
export class ResumeTaskProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(ResumeTaskProcessor.name);
  private readonly running = new Map<string, AbortController>();

  constructor(
    private readonly runner: TaskJobRunner,
    private readonly metrics: TaskQueueMetrics,
    private readonly config: GatewayConfigService,
    @InjectQueue(TaskQueueName.WEBHOOKS) private readonly webhooks: Queue<WebhookDelivery>,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.run().catch((error: unknown) => {
      this.logger.error({ msg: 'task worker stopped on an error', error: String(error) });
    });
  }

  /** Jobs this process is running now. */
  get activeJobs(): number {
    return this.running.size;
  }

  async process(job: TaskBullJob, token?: string): Promise<TaskResult> {
    const id = job.id!;
    if (job.attemptsStarted <= 1 && job.processedOn) {
      this.metrics.wait.observe({ type: job.data.type }, (job.processedOn - job.timestamp) / 1_000);
    }
    const abort = new AbortController();
    this.running.set(id, abort);
    try {
      const result = await this.runner.run(job.data, {
        jobId: id,
        attempt: job.attemptsStarted,
        signal: abort.signal,
      });
      await this.notify(job, 'completed', result);
      this.metrics.jobs.inc({ type: job.data.type, outcome: 'completed' });
      return result;
    } catch (error) {
      if (!(error instanceof TaskRunFailure)) throw error;
      if (error.cancelled) {
        // Shutting down: hand the job back untouched (no attempt used) for another worker.
        await job.moveToWait(token);
        this.metrics.jobs.inc({ type: job.data.type, outcome: 'released' });
        throw new WaitingError();
      }
      const final = !error.failure.retryable || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      this.metrics.jobs.inc({ type: job.data.type, outcome: final ? 'failed' : 'retried' });
      if (final) await this.notify(job, 'failed', undefined, error);
      if (!error.failure.retryable) throw new UnrecoverableError(error.message);
      throw error;
    } finally {
      this.running.delete(id);
    }
  }

  /**
   * Stops taking jobs and lets running ones finish within `graceMs`; after that, cancels
   * them (each is released to the wait list), and past `graceMs + releaseMs` stops
   * without waiting (a job still locked is recovered by another worker once its lock
   * lapses). Never waits longer than the two together, even when Redis is gone.
   */
  async drain(graceMs: number, releaseMs: number): Promise<'finished' | 'released' | 'abandoned'> {
    const closing = this.worker.close();
    if (await settlesWithin(closing, graceMs)) return 'finished';
    this.logger.warn({ msg: 'releasing running jobs', jobs: this.running.size });
    for (const abort of this.running.values()) abort.abort();
    if (await settlesWithin(closing, releaseMs)) return 'released';
    void this.worker.close(true).catch(() => undefined);
    return 'abandoned';
  }

  /** Queues the completion webhook; its id makes a repeated notice (a re-run) one delivery. */
  private async notify(
    job: TaskBullJob,
    state: 'completed' | 'failed',
    result?: TaskResult,
    failure?: TaskRunFailure,
  ): Promise<void> {
    const url = job.data.webhookUrl;
    if (!url) return;
    const settings = this.config.current.tasks;
    // Built from what this run knows: BullMQ settles the job only after process() returns.
    const payload: TaskJobView = {
      ...viewIn(job, state),
      ...(result ? { result } : {}),
      ...(failure ? { error: { ...failure.failure, retryable: false } } : {}),
    };
    await this.webhooks.add(
      'deliver',
      { id: `${job.id}:${state}`, url, payload },
      {
        jobId: `wh_${job.id}_${state}`,
        attempts: settings.webhooks.attempts,
        backoff: { type: 'exponential', delay: settings.webhooks.backoffMs },
        removeOnComplete: { age: settings.queue.keepCompletedSeconds },
        removeOnFail: { age: settings.queue.keepFailedSeconds },
      },
    );
  }
}

function settlesWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    promise.then(
      () => true,
      () => true,
    ),
    new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}
