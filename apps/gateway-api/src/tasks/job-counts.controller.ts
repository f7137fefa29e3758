import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { InjectTaskQueue } from '@ai-gateway/resume';
import type { TaskJobState, TaskQueue } from '@ai-gateway/resume';
import { RequireAccess } from '../auth/access.decorator';
import { ApiErrors, ApiJson } from '../docs/api-responses.decorator';
import { API_TAGS } from '../docs/api-tags';

/**
 * `GET /v1/jobs/counts`: jobs per state in the task queue (either driver) — every
 * tenant's queue, so the admin key's when auth is on.
 */
@Controller('v1/jobs')
@RequireAccess('operator')
@ApiTags(API_TAGS.jobs.name)
@ApiErrors(503)
export class JobCountsController {
  constructor(@InjectTaskQueue() private readonly queue: TaskQueue) {}

  @Get('counts')
  @ApiOperation({ summary: 'Jobs per state in the task queue (either driver)' })
  @ApiJson(200, 'JobCounts', 'Counts per state and the queue driver.')
  async counts(): Promise<Record<TaskJobState, number> & { driver: TaskQueue['driver'] }> {
    return { ...(await this.queue.counts()), driver: this.queue.driver };
  }
}
