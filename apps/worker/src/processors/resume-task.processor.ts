import type { OnApplicationBootstrap } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import type { TaskBullJob, TaskResult } from '@ai-gateway/resume';
import {
  BullMqWebhookQueue,
  TaskJobRunner,
  TaskQueueMetrics,
  TaskRunFailure,
} from '@ai-gateway/resume';
import { UnrecoverableError, WaitingError } from 'bullmq';

/**
 * Runs task jobs (`TaskQueueName.TASKS`). `WorkerModule` applies `@Processor` with
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
    private readonly webhooks: BullMqWebhookQueue,
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
        system: 'bullmq',
      });
      await this.webhooks.notify(job, 'completed', { result });
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
      if (final) await this.webhooks.notify(job, 'failed', { failure: error.failure });
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
