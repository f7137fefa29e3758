import { Body, Controller, Headers, HttpCode, Post, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOperation, ApiTags } from '@nestjs/swagger';
import { GatewayConfigService } from '@ai-gateway/core';
import type { Caller } from '@ai-gateway/core';
import {
  InjectTaskQueue,
  TaskRegistry,
  checkIdempotencyKey,
  checkWebhookUrl,
  tasksConfigOf,
} from '@ai-gateway/resume';
import type { TaskJobView, TaskQueue, TaskResult } from '@ai-gateway/resume';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireAccess } from '../auth/access.decorator';
import { requestAuthOf } from '../auth/request-auth';
import { userOf } from '../chat/call-options';
import { cancelOnClientClose } from '../chat/client-abort';
import { ApiErrors, ApiJson, ApiJsonBody } from '../docs/api-responses.decorator';
import { API_TAGS } from '../docs/api-tags';
import { parseTaskRequest } from './task-request';

/** An inline result as returned by `POST /v1/tasks`. */
export type InlineTaskResponse = TaskResult & { object: 'task.result' };

/**
 * `POST /v1/tasks`: small inputs run inline and return the result (200); large inputs,
 * `async: true`, an `Idempotency-Key` or a `webhook_url` make a job (202 with its id and
 * a `Location`; 200 when an idempotency key named an existing job). The input is checked
 * (and a file turned into text) before anything runs or is queued: a bad one is a 400,
 * never a failed job.
 */
@Controller('v1')
@RequireAccess('usage')
@ApiTags(API_TAGS.tasks.name)
export class TasksController {
  constructor(
    private readonly registry: TaskRegistry,
    @InjectTaskQueue() private readonly queue: TaskQueue,
    private readonly config: GatewayConfigService,
  ) {}

  @Post('tasks')
  @ApiOperation({
    summary: 'Run a task: inline (200 with the result) or as a job (202 with its id)',
    description:
      'Small inputs run inline; `async: true`, an `Idempotency-Key`, a `webhook_url` or a large input make a job (202, `Location: /v1/jobs/{id}`; 200 when an idempotency key names an existing job). A bad input is a 400, never a failed job.',
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'The same key (per caller) always names the same job: never a second run.',
  })
  @ApiHeader({
    name: 'x-gateway-user',
    required: false,
    description: "The end user the task counts against (a multi-user key's choice).",
  })
  @ApiJsonBody('TaskRequest')
  @ApiJson(
    200,
    ['TaskInlineResult', 'TaskJob'],
    'The result of an inline run; or the job an idempotency key named, when it already existed.',
  )
  @ApiJson(202, 'TaskJob', 'The job, queued; `Location` names it.')
  @ApiErrors(400, 409, 413, 415, 429, 502, 503, 504)
  // An inline result is 200 (nothing is created); a job sets 202 (or 200 when found) below.
  @HttpCode(200)
  async create(
    @Body() body: unknown,
    @Headers('idempotency-key') idempotencyHeader: string | undefined,
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<InlineTaskResponse | TaskJobView> {
    const task = parseTaskRequest(body);
    const idempotencyKey =
      idempotencyHeader === undefined ? undefined : checkIdempotencyKey(idempotencyHeader);
    const settings = tasksConfigOf(this.config.current);
    const webhookUrl =
      task.webhookUrl === undefined
        ? undefined
        : checkWebhookUrl(task.webhookUrl, settings.webhooks);
    const caller = taskCallerOf(request);
    // A file is read for this caller: its key gets a fair share of the readers.
    const prepared = await this.registry.prepare(task.type, task.input, { caller });
    const queued =
      task.async ||
      prepared.size > settings.inlineMaxChars ||
      idempotencyKey !== undefined ||
      webhookUrl !== undefined;

    if (!queued) {
      const abort = new AbortController();
      cancelOnClientClose(reply)(() => abort.abort());
      const result = await this.registry.run(prepared, {
        requestId: request.id,
        signal: abort.signal,
        caller,
        model: task.model,
      });
      return { object: 'task.result', ...result };
    }

    // The queue applies the caller's rate limits and its per-key depth cap (429 otherwise).
    const { job, created, headers } = await this.queue.enqueue({
      type: prepared.type,
      input: prepared.input,
      model: task.model,
      caller,
      webhookUrl,
      idempotencyKey,
      size: prepared.size,
    });
    if (headers) void reply.headers(headers);
    void reply.status(created ? 202 : 200).header('location', `/v1/jobs/${job.id}`);
    return job;
  }
}

/**
 * Who a task counts against, as on the chat path: the gateway key's identity, the user
 * it may name (`x-gateway-user`: its own user, a multi-user key's choice, or anyone's
 * without gateway auth), and the client's address (limits of callers without a key).
 */
function taskCallerOf(request: FastifyRequest): Caller {
  const auth = requestAuthOf(request);
  const userId = userOf(auth, request.headers['x-gateway-user']);
  return { ...auth?.caller, ip: request.ip, ...(userId !== undefined ? { userId } : {}) };
}
