import { Injectable } from '@nestjs/common';
import { InjectQueue } from '@nestjs/bullmq';
import type { Queue } from 'bullmq';
import type { TaskResult } from '../task-result';
import type { TaskBullJob } from './bullmq-job.view';
import { viewIn } from './bullmq-job.view';
import type { TaskJobError, TaskJobView } from './task-job.types';
import { TaskQueueName } from './task-job.types';
import type { WebhookDelivery } from './task-webhook';
import { WebhookDeliveries } from './webhook-deliveries';

/** How a finished run ended, for its completion webhook. */
export interface RunOutcome {
  result?: TaskResult;
  failure?: TaskJobError;
}

/**
 * Queues completion webhooks on BullMQ (`TaskQueueName.WEBHOOKS`) with the options of
 * `WebhookDeliveries`; the worker's webhook processor delivers them.
 */
@Injectable()
export class BullMqWebhookQueue {
  constructor(
    @InjectQueue(TaskQueueName.WEBHOOKS) private readonly queue: Queue<WebhookDelivery>,
    private readonly deliveries: WebhookDeliveries,
  ) {}

  /**
   * Queues the webhook of a finished run, when the job has one. Its job id makes a
   * repeated notice (a re-run, a retried completion) one delivery.
   */
  async notify(
    job: TaskBullJob,
    state: 'completed' | 'failed',
    outcome: RunOutcome,
  ): Promise<void> {
    const url = job.data.webhookUrl;
    if (!url) return;
    // Built from what this run knows: BullMQ settles the job only after the processor returns.
    const payload: TaskJobView = {
      ...viewIn(job, state),
      ...(outcome.result ? { result: outcome.result } : {}),
      ...(outcome.failure ? { error: { ...outcome.failure, retryable: false } } : {}),
    };
    await this.queue.add(
      'deliver',
      { id: `${job.id}:${state}`, url, payload },
      { jobId: `wh_${job.id}_${state}`, ...this.deliveries.jobOptions() },
    );
  }
}
