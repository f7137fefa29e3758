import { Injectable, Logger } from '@nestjs/common';
import { GatewayConfigService, GatewayErrorCode, isGatewayError } from '@ai-gateway/core';
import { tasksConfigOf } from '../config/tasks.section';
import type { WebhookDelivery } from './task-webhook';
import { WebhookSender } from './task-webhook';
import { TaskQueueMetrics } from './task-queue.metrics';

/** What one delivery attempt came to; a failed one says whether another is due. */
export type WebhookAttempt =
  | { delivered: true }
  | {
      delivered: false;
      /** No further attempt: the last one was used, or the destination was refused. */
      final: boolean;
      error: Error;
    };

/** How a queue keeps a webhook job (BullMQ's `JobsOptions` subset it needs). */
export interface WebhookJobOptions {
  attempts: number;
  backoff: { type: 'exponential'; delay: number };
  removeOnComplete: { age: number };
  removeOnFail: { age: number };
}

/**
 * The webhook policy both queue drivers follow: one signed POST per attempt
 * (`WebhookSender`), retried with exponential backoff (`tasks.webhooks.backoffMs` ×
 * 2^(attempt−1)) until a 2xx or `tasks.webhooks.attempts`; a destination the address
 * policy refuses is given up at once (it would be refused again). Drivers only carry the
 * attempts out: the in-process queue on timers, the worker as BullMQ jobs.
 */
@Injectable()
export class WebhookDeliveries {
  private readonly logger = new Logger(WebhookDeliveries.name);

  constructor(
    private readonly sender: WebhookSender,
    private readonly metrics: TaskQueueMetrics,
    private readonly config: GatewayConfigService,
  ) {}

  /**
   * Sends attempt number `attempt` (1 for the first) of at most `maxAttempts` (default
   * `tasks.webhooks.attempts`), counts and logs the outcome. Never throws.
   */
  async attempt(
    delivery: WebhookDelivery,
    attempt: number,
    maxAttempts = tasksConfigOf(this.config.current).webhooks.attempts,
  ): Promise<WebhookAttempt> {
    try {
      await this.sender.send(delivery);
      this.metrics.webhooks.inc({ outcome: 'delivered' });
      return { delivered: true };
    } catch (caught) {
      const error = caught instanceof Error ? caught : new Error(String(caught));
      const refused = isGatewayError(error) && error.code === GatewayErrorCode.INVALID_REQUEST;
      const final = refused || attempt >= maxAttempts;
      this.metrics.webhooks.inc({ outcome: final ? 'failed' : 'retried' });
      this.logger.warn({
        msg: final ? 'webhook given up' : 'webhook will be retried',
        delivery: delivery.id,
        attempt,
        error: error.message,
      });
      return { delivered: false, final, error };
    }
  }

  /** Wait after failed attempt number `attempt` before the next one (BullMQ's exponential). */
  retryDelayMs(attempt: number): number {
    return tasksConfigOf(this.config.current).webhooks.backoffMs * 2 ** (attempt - 1);
  }

  /** Options of a webhook job: the attempts and backoff above, kept as long as task jobs. */
  jobOptions(): WebhookJobOptions {
    const { webhooks, queue } = tasksConfigOf(this.config.current);
    return {
      attempts: webhooks.attempts,
      backoff: { type: 'exponential', delay: webhooks.backoffMs },
      removeOnComplete: { age: queue.keepCompletedSeconds },
      removeOnFail: { age: queue.keepFailedSeconds },
    };
  }
}
