import type { OnApplicationBootstrap } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { GatewayErrorCode, isGatewayError } from '@ai-gateway/core';
import { TaskQueueMetrics, WebhookSender } from '@ai-gateway/resume';
import type { WebhookDelivery } from '@ai-gateway/resume';
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';

/**
 * Delivers completion webhooks (`TaskQueueName.WEBHOOKS`): one signed POST per run,
 * retried by BullMQ with exponential backoff until a 2xx or the configured attempts. A
 * destination the address policy refuses is given up at once (it would be refused again).
 */
@Injectable()
export class TaskWebhookProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(TaskWebhookProcessor.name);

  constructor(
    private readonly sender: WebhookSender,
    private readonly metrics: TaskQueueMetrics,
  ) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.run().catch((error: unknown) => {
      this.logger.error({ msg: 'webhook worker stopped on an error', error: String(error) });
    });
  }

  async process(job: Job<WebhookDelivery>): Promise<void> {
    try {
      await this.sender.send(job.data);
      this.metrics.webhooks.inc({ outcome: 'delivered' });
    } catch (error) {
      const refused = isGatewayError(error) && error.code === GatewayErrorCode.INVALID_REQUEST;
      const last = refused || job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
      this.metrics.webhooks.inc({ outcome: last ? 'failed' : 'retried' });
      this.logger.warn({
        msg: last ? 'webhook given up' : 'webhook will be retried',
        delivery: job.data.id,
        attempt: job.attemptsMade + 1,
        error: error instanceof Error ? error.message : String(error),
      });
      if (refused) throw new UnrecoverableError((error as Error).message);
      throw error;
    }
  }
}
