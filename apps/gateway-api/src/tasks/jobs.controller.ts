import { Controller, Get, HttpCode, Param, Post, Query, Req, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import type { Caller } from '@ai-gateway/core';
import { InjectTaskQueue } from '@ai-gateway/resume';
import type { TaskJobView, TaskQueue } from '@ai-gateway/resume';
import type { FastifyRequest } from 'fastify';
import { RequireAccess } from '../auth/access.decorator';
import { GatewayAuthGuard } from '../auth/gateway-auth.guard';
import { requestAuthOf } from '../auth/request-auth';
import { ApiJobsQuery } from '../docs/api-queries.decorator';
import { ApiErrors, ApiJson } from '../docs/api-responses.decorator';
import { API_TAGS } from '../docs/api-tags';
import { parseJobsQuery } from './task-request';

/** Job ids as the gateway makes them; anything else cannot name a job. */
const JOB_ID = /^job_[0-9a-f]{32}$/;

/**
 * `GET /v1/jobs/:id` (state, progress, result or error), `GET /v1/jobs?state=failed`
 * (inspection) and `POST /v1/jobs/:id/retry` (admin: run a failed job again). A caller
 * sees only its own jobs (its gateway key, else its user); the admin key sees all. A job
 * of someone else is a 404, like one that does not exist.
 */
@Controller('v1/jobs')
@RequireAccess('usage')
@ApiTags(API_TAGS.jobs.name)
@ApiErrors(503)
export class JobsController {
  constructor(@InjectTaskQueue() private readonly queue: TaskQueue) {}

  @Get()
  @ApiOperation({
    summary: 'List jobs in a state (default: failed)',
    description: 'A caller sees its own jobs; the admin key sees every job.',
  })
  @ApiJobsQuery()
  @ApiJson(200, 'TaskJobList', 'The jobs, newest first.')
  @ApiErrors(400)
  async list(
    @Query() query: Record<string, unknown>,
    @Req() request: FastifyRequest,
  ): Promise<{ object: 'list'; data: TaskJobView[] }> {
    const { state, limit } = parseJobsQuery(query);
    return {
      object: 'list',
      data: await this.queue.list({ state, limit, owner: ownerOf(request) }),
    };
  }

  @Get(':id')
  @ApiOperation({
    summary: 'Read a job: state, progress, result or error',
    description: "Another caller's job is a 404, like one that does not exist.",
  })
  @ApiParam({ name: 'id', description: 'The job id (`job_` and 32 hex digits).' })
  @ApiJson(200, 'TaskJob', 'The job.')
  @ApiErrors(404)
  async get(@Param('id') id: string, @Req() request: FastifyRequest): Promise<TaskJobView> {
    const job = JOB_ID.test(id) ? await this.queue.get(id, ownerOf(request)) : undefined;
    if (!job) throw notFound(id);
    return job;
  }

  @Post(':id/retry')
  @HttpCode(202)
  @ApiOperation({ summary: 'Run a failed job again' })
  @ApiParam({ name: 'id', description: 'The job id.' })
  @ApiJson(202, 'TaskJob', 'The job, queued again.')
  @ApiErrors(400, 404)
  @RequireAccess('admin')
  @UseGuards(GatewayAuthGuard)
  async retry(@Param('id') id: string): Promise<TaskJobView> {
    if (!JOB_ID.test(id)) throw notFound(id);
    return this.queue.retry(id);
  }
}

/**
 * Whose jobs the request may see: its gateway key's (else its user's); every job for the
 * admin key, and when gateway auth is off (every caller is trusted there).
 */
function ownerOf(request: FastifyRequest): Caller | undefined {
  const auth = requestAuthOf(request);
  return auth && !auth.admin ? (auth.caller ?? {}) : undefined;
}

function notFound(id: string): GatewayError {
  return new GatewayError(GatewayErrorCode.NOT_FOUND, `No job '${id.slice(0, 64)}'`, {
    param: 'id',
  });
}
