import { Injectable } from '@nestjs/common';
import {
  GatewayConfigService,
  GatewayError,
  GatewayErrorCode,
  RateLimiter,
} from '@ai-gateway/core';
import type { RateLimitScope } from '@ai-gateway/core';
import { tasksConfigOf } from '../config/tasks.section';
import { TaskModels } from '../task-models';
import type { EnqueueTask } from './task-job.types';

/** Retry-After of a full per-key queue: jobs take seconds, not minutes, to move on. */
export const QUEUE_FULL_RETRY_MS = 5_000;

/** Characters per token of the enqueue-time estimate (the run counts exact tokens again). */
const CHARS_PER_TOKEN = 4;

/** Enqueue buckets are the scopes' own ids under this prefix (see TaskEnqueueLimits). */
const ENQUEUE_SCOPE_PREFIX = 'tasks:';

/**
 * The caller's limits at enqueue (`POST /v1/tasks` that makes a job, or a host's
 * `TaskQueue.enqueue`): every scope that applies (key, user, team, the task's model or
 * route, global) with its requests-per-minute and tokens-per-minute limits, one request
 * and the input's size in tokens (estimated: characters ÷ 4) per job. Over a limit: 429
 * `rate_limit_exceeded` with Retry-After and no job created.
 *
 * Enqueues draw on buckets of their own (the scope's id under `tasks:`) with the same
 * limits: a key enqueues no faster than its limits allow, and its job is not charged a
 * second time against the buckets its model calls draw on when it runs (that would
 * leave a key's jobs refused at run time by their own enqueue). Concurrency limits are
 * left to the run (a queued job holds no connection); the per-key queue depth
 * (`tasks.queue.maxJobsPerKey`) bounds how many jobs one key has waiting or running.
 */
@Injectable()
export class TaskEnqueueLimits {
  constructor(
    private readonly config: GatewayConfigService,
    private readonly limiter: RateLimiter,
    private readonly models: TaskModels,
  ) {}

  /** Takes the job's request and tokens, or throws the 429 (503 when limits fail closed). */
  async admit(task: EnqueueTask): Promise<Readonly<Record<string, string>> | undefined> {
    const caller = task.caller;
    const scopes = this.limiter
      .scopesFor({
        keyId: caller?.keyId,
        keyLimits: caller?.keyLimits,
        userId: caller?.userId,
        teamId: caller?.teamId,
        model: this.models.modelFor(task.type, task.model),
        ip: caller?.ip,
      })
      .flatMap(enqueueScopeOf);
    if (scopes.length === 0) return undefined;
    const tokens = scopes.some((scope) => scope.tokensPerMinute !== undefined)
      ? Math.ceil(sizeOf(task) / CHARS_PER_TOKEN)
      : 0;
    const decision = await this.limiter.acquire('task-enqueue', scopes, tokens);
    if (decision.admitted) return { ...decision.headers };
    if (decision.unavailable) {
      throw new GatewayError(GatewayErrorCode.RATE_LIMIT_UNAVAILABLE, decision.message, {
        retryable: true,
        retryAfterMs: decision.retryAfterMs,
      });
    }
    const message = limitedMessage(decision.scope, decision.dimension, decision, tokens);
    throw new GatewayError(GatewayErrorCode.RATE_LIMIT_EXCEEDED, message, {
      retryable: !decision.tooLarge,
      retryAfterMs: decision.tooLarge ? undefined : decision.retryAfterMs,
      headers: { ...decision.headers },
    });
  }

  /** Jobs one key (else user, else the anonymous pool) may have queued or running. */
  get maxJobsPerKey(): number {
    return tasksConfigOf(this.config.current).queue.maxJobsPerKey;
  }

  /** The refusal when a key's jobs fill its share of the queue. */
  queueFull(): GatewayError {
    return new GatewayError(
      GatewayErrorCode.RATE_LIMIT_EXCEEDED,
      `Too many jobs: this key already has ${this.maxJobsPerKey} jobs queued or running ` +
        '(tasks.queue.maxJobsPerKey); send more once some have finished',
      { retryable: true, retryAfterMs: QUEUE_FULL_RETRY_MS },
    );
  }
}

/**
 * A scope's enqueue bucket: its own id under `tasks:`, without the concurrency limit
 * (left out when nothing else is limited).
 */
function enqueueScopeOf(scope: RateLimitScope): RateLimitScope[] {
  const { concurrentRequests: _concurrency, ...rest } = scope;
  if (rest.requestsPerMinute === undefined && rest.tokensPerMinute === undefined) return [];
  return [{ ...rest, id: `${ENQUEUE_SCOPE_PREFIX}${scope.id}` }];
}

/** The refusal's text, naming the scope as configured (not its enqueue bucket). */
function limitedMessage(
  scope: RateLimitScope,
  dimension: string,
  decision: { retryAfterMs: number; tooLarge: boolean },
  tokens: number,
): string {
  const id = scope.id.slice(ENQUEUE_SCOPE_PREFIX.length, ENQUEUE_SCOPE_PREFIX.length + 64);
  const who = scope.kind === 'global' ? 'the gateway' : `${scope.kind} '${id}'`;
  const retry = `Try again in ${Math.max(1, Math.ceil(decision.retryAfterMs / 1_000))} s.`;
  if (dimension !== 'tokens') {
    return `Task rate limit reached for ${who}: ${scope.requestsPerMinute} jobs per minute. ${retry}`;
  }
  return decision.tooLarge
    ? `Task input too large for ${who}: about ${tokens} tokens, above the limit of ` +
        `${scope.tokensPerMinute} tokens per minute.`
    : `Task rate limit reached for ${who}: ${scope.tokensPerMinute} tokens per minute of ` +
        `task input, and this one is about ${tokens}. ${retry}`;
}

/** Characters of text in the task's input (the registry's count, else its JSON's length). */
function sizeOf(task: EnqueueTask): number {
  return task.size ?? JSON.stringify(task.input ?? null).length;
}
