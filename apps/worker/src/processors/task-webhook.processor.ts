import type { OnApplicationBootstrap } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import { WorkerHost } from '@nestjs/bullmq';
import { WebhookDeliveries } from '@ai-gateway/resume';
import type { WebhookDelivery } from '@ai-gateway/resume';
import type { Job } from 'bullmq';
import { UnrecoverableError } from 'bullmq';

/**
 * Delivers completion webhooks (`TaskQueueName.WEBHOOKS`): each BullMQ job is one attempt
 * of `WebhookDeliveries` (the policy: signing, address checks, when to give up). A failed
 * attempt is thrown so BullMQ retries it with the job's backoff; a final one is thrown
 * as unrecoverable so BullMQ does not.
 */
@Injectable()
export class TaskWebhookProcessor extends WorkerHost implements OnApplicationBootstrap {
  private readonly logger = new Logger(TaskWebhookProcessor.name);

  constructor(private readonly deliveries: WebhookDeliveries) {
    super();
  }

  onApplicationBootstrap(): void {
    this.worker.run().catch((error: unknown) => {
      this.logger.error({ msg: 'webhook worker stopped on an error', error: String(error) });
    });
  }

  async process(job: Job<WebhookDelivery>): Promise<void> {
    const outcome = await this.deliveries.attempt(
      job.data,
      job.attemptsMade + 1,
      job.opts.attempts ?? 1,
    );
    if (outcome.delivered) return;
    throw outcome.final ? new UnrecoverableError(outcome.error.message) : outcome.error;
  }
}
