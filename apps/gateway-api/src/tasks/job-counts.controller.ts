import { Controller, Get } from '@nestjs/common';
import { InjectTaskQueue } from '@ai-gateway/resume';
import type { TaskJobState, TaskQueue } from '@ai-gateway/resume';
import { RequireAccess } from '../auth/access.decorator';

/**
 * `GET /v1/jobs/counts`: jobs per state in the task queue (either driver) — every
 * tenant's queue, so the admin key's when auth is on.
 */
@Controller('v1/jobs')
@RequireAccess('operator')
export class JobCountsController {
  constructor(@InjectTaskQueue() private readonly queue: TaskQueue) {}

  @Get('counts')
  async counts(): Promise<Record<TaskJobState, number> & { driver: TaskQueue['driver'] }> {
    return { ...(await this.queue.counts()), driver: this.queue.driver };
  }
}
