import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { InjectTaskQueue } from '@ai-gateway/resume';
import type { TaskQueue } from '@ai-gateway/resume';

/** Longest wait on the queue's Redis: a readiness probe must answer quickly. */
const PING_TIMEOUT_MS = 1_000;

/**
 * Ready when the task queue can take jobs: its Redis answers (BullMQ), or always for the
 * in-process driver. Reports the depth by state while up; never throws.
 */
@Injectable()
export class TaskQueueHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    @InjectTaskQueue() private readonly queue: TaskQueue,
  ) {}

  async check(key = 'queue'): Promise<HealthIndicatorResult> {
    const indicator = this.health.check(key);
    if (!(await this.queue.ping(PING_TIMEOUT_MS))) {
      return indicator.down({ driver: this.queue.driver, reason: 'Redis does not answer' });
    }
    const depth = await this.queue.counts().catch(() => undefined);
    return indicator.up({ driver: this.queue.driver, ...(depth ? { depth } : {}) });
  }
}
