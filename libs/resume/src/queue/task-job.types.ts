import { Inject } from '@nestjs/common';
import type { Caller, TraceCarrier } from '@ai-gateway/core';
import type { TaskResult } from '../task-result';

/** Queue names: the wire names in Redis, so they never change once shipped. */
export enum TaskQueueName {
  /** Task jobs (the built-in resume tasks, the host's and the YAML-defined ones). */
  TASKS = 'resume-tasks',
  /** Completion callbacks of finished jobs. */
  WEBHOOKS = 'task-webhooks',
}

/** A job's state as callers see it (BullMQ's states folded into five). */
export type TaskJobState = 'queued' | 'running' | 'retrying' | 'completed' | 'failed';
export const TASK_JOB_STATES: readonly TaskJobState[] = [
  'queued',
  'running',
  'retrying',
  'completed',
  'failed',
];

/** What a queued job carries: everything a worker needs, nothing it must look up. */
export interface TaskJobData {
  /** The task's name (a registered handler's). */
  type: string;
  /** The prepared input (a file already turned into text). */
  input: unknown;
  /** Model or route the caller chose instead of the task's default. */
  model?: string;
  /** Who enqueued it: budgets, limits and usage rows follow it, and only it may read the job. */
  caller?: Caller;
  /** Completion callback (signed POST, retried). */
  webhookUrl?: string;
  /**
   * The enqueuing request's W3C trace context (`traceparent`, `tracestate`) while it was
   * traced: the job's run is linked to it.
   */
  trace?: TraceCarrier;
  /** SHA-256 of the request (type, input, model, webhook): a reused idempotency key must match. */
  requestHash: string;
  /** Random per enqueue call: tells a job this call created from one it found. */
  nonce: string;
}

/** A failure as stored with a job and shown to the caller. */
export interface TaskJobError {
  code: string;
  message: string;
  /** False when the job will not be tried again on its own. */
  retryable: boolean;
}

/** `GET /v1/jobs/:id`: a job as a caller sees it. */
export interface TaskJobView {
  id: string;
  object: 'task.job';
  type: string;
  state: TaskJobState;
  /** 0 until a worker takes it, 100 once finished. */
  progress: number;
  /** Runs started so far (retries and re-runs included). */
  attempts: number;
  maxAttempts: number;
  /** ISO times. */
  createdAt: string;
  startedAt?: string;
  finishedAt?: string;
  result?: TaskResult;
  error?: TaskJobError;
  webhookUrl?: string;
}

/** A task to queue, already checked and prepared (`TaskRegistry.prepare`). */
export interface EnqueueTask {
  type: string;
  input: unknown;
  model?: string;
  caller?: Caller;
  webhookUrl?: string;
  /** The same key (per caller) always names the same job: never a second run. */
  idempotencyKey?: string;
  /** Characters of text in the input (`PreparedTask.size`): its tokens for rate limits. */
  size?: number;
}

export interface EnqueueOutcome {
  job: TaskJobView;
  /** False when an idempotency key named a job that already existed. */
  created: boolean;
  /** The caller's rate-limit headers (`x-ratelimit-*`) when a limit applied. */
  headers?: Readonly<Record<string, string>>;
}

export interface ListJobsQuery {
  state: TaskJobState;
  /** At most this many (newest first). */
  limit: number;
  /** Only this caller's jobs (absent: every job, for the admin). */
  owner?: Caller;
}

/**
 * The job queue behind `POST /v1/tasks` (async), `GET /v1/jobs`: BullMQ on Redis, or an
 * in-process driver for the embedded default. Both run jobs through `TaskJobRunner`.
 */
export interface TaskQueue {
  readonly driver: 'bullmq' | 'in-process';
  /**
   * Queues a job after the caller's rate limits and its per-key queue depth
   * (`tasks.queue.maxJobsPerKey`) admit it; throws `RATE_LIMIT_EXCEEDED` (429) otherwise.
   */
  enqueue(task: EnqueueTask): Promise<EnqueueOutcome>;
  /** The job, or undefined when there is none (or, with `owner`, when it is someone else's). */
  get(id: string, owner?: Caller): Promise<TaskJobView | undefined>;
  list(query: ListJobsQuery): Promise<TaskJobView[]>;
  /** Runs a failed job again (admin). Throws NOT_FOUND, or INVALID_REQUEST when not failed. */
  retry(id: string): Promise<TaskJobView>;
  /** Jobs per state, for metrics and health. */
  counts(): Promise<Record<TaskJobState, number>>;
  /** True when the queue's store answers (Redis ping); always true in-process. */
  ping(timeoutMs: number): Promise<boolean>;
}

export const TASK_QUEUE = Symbol('TASK_QUEUE');

/** Injects the configured {@link TaskQueue}. */
export const InjectTaskQueue = (): ParameterDecorator => Inject(TASK_QUEUE);
