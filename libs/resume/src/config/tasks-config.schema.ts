import 'reflect-metadata';
import { Flag, Numeric } from '@ai-gateway/core';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  ValidateNested,
} from 'class-validator';

/** `auto`: BullMQ on Redis when a Redis URL is configured, else jobs run in-process. */
export const TASK_QUEUE_DRIVERS = ['auto', 'bullmq', 'in-process'] as const;
export type TaskQueueDriver = (typeof TASK_QUEUE_DRIVERS)[number];

/** Where queued jobs live and how failures are retried. */
export class TaskQueueConfig {
  @IsIn(TASK_QUEUE_DRIVERS)
  driver: TaskQueueDriver = 'auto';

  /**
   * The queue's own Redis (default `redis.url`). BullMQ needs `maxmemory-policy
   * noeviction`, while a cache wants eviction: give the queue its own database or server
   * when the cache shares Redis.
   */
  @IsOptional()
  @IsString()
  @MinLength(1)
  redisUrl?: string;

  /** Prefix of the queue's Redis keys (several deployments may share one Redis). */
  @Matches(/^[A-Za-z0-9_:-]{1,64}$/)
  prefix = 'aigw';

  /** Runs per job, the first included, when failures are retryable. */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(20)
  attempts = 4;

  /** First retry delay; each next one doubles. */
  @Numeric()
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  backoffMs = 2_000;

  /** Finished jobs (and so their idempotency keys) are kept this long. */
  @Numeric()
  @IsInt()
  @Min(60)
  @Max(31_536_000)
  keepCompletedSeconds = 86_400;

  /** Failed jobs are kept this long for inspection and re-runs. */
  @Numeric()
  @IsInt()
  @Min(60)
  @Max(31_536_000)
  keepFailedSeconds = 604_800;

  /**
   * Jobs one key (else user) may have queued, running or waiting for a retry; more are
   * refused with 429 until some finish, so one tenant cannot fill the queue.
   */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  maxJobsPerKey = 1_000;
}

/** How a worker takes jobs. */
export class TaskWorkerConfig {
  /** Jobs one worker process runs at once (they wait on providers, not on the CPU). */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(1_000)
  concurrency = 10;

  /** How long a job's lock lasts without renewal; a dead worker's jobs move on after it. */
  @Numeric()
  @IsInt()
  @Min(500)
  @Max(600_000)
  lockDurationMs = 30_000;

  /** How often workers look for jobs whose worker died. */
  @Numeric()
  @IsInt()
  @Min(500)
  @Max(600_000)
  stalledIntervalMs = 30_000;

  /** Times a job may lose its worker before it fails instead of running again. */
  @Numeric()
  @IsInt()
  @Min(0)
  @Max(100)
  maxStalledCount = 2;
}

/** Completion callbacks (`webhook` of a job). */
export class TaskWebhookConfig {
  /** HMAC-SHA256 key of the `x-gateway-signature` header; webhooks are refused without one. */
  @IsOptional()
  @IsString()
  @MinLength(16)
  secret?: string;

  @Numeric()
  @IsInt()
  @Min(1)
  @Max(20)
  attempts = 6;

  /** First retry delay; each next one doubles. */
  @Numeric()
  @IsInt()
  @Min(0)
  @Max(3_600_000)
  backoffMs = 1_000;

  @Numeric()
  @IsInt()
  @Min(100)
  @Max(120_000)
  timeoutMs = 10_000;

  /**
   * Destinations allowed besides public addresses: host names (exact, case-insensitive)
   * and IP addresses or CIDR ranges (`10.1.0.0/16`, `::1`). Webhooks to loopback,
   * private, link-local, CGNAT, unique-local and metadata addresses are refused otherwise.
   */
  @IsArray()
  @ArrayMaxSize(1_000)
  @Matches(/^(?:[A-Za-z0-9_.-]{1,253}|[0-9A-Fa-f:.]{2,45}(?:\/\d{1,3})?)$/, { each: true })
  allowedHosts: string[] = [];

  /** Allows loopback, private, link-local, CGNAT and unique-local (never metadata) addresses. */
  @Flag()
  @IsBoolean()
  allowPrivateNetworks = false;
}

/**
 * Reading uploaded resume files (PDF, DOCX): each file is read in a child process with
 * these limits, in a few slots shared fairly between keys, behind a bounded wait list.
 */
export class TaskFilesConfig {
  /** Files read at once in one gateway process (each holds a process of `memoryMb`). */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(64)
  concurrency = 2;

  /** Of those, at most this many for one key: one key cannot take every slot. */
  @Numeric()
  @IsInt()
  @Min(1)
  @Max(64)
  perKeyConcurrency = 1;

  /** Files waiting for a slot, all keys together; more get 503 with Retry-After. */
  @Numeric()
  @IsInt()
  @Min(0)
  @Max(10_000)
  maxWaiting = 32;

  /** Files one key may have waiting; more get 429 with Retry-After. */
  @Numeric()
  @IsInt()
  @Min(0)
  @Max(10_000)
  maxWaitingPerKey = 8;

  /** A file that waited this long for a slot gets 503 with Retry-After. */
  @Numeric()
  @IsInt()
  @Min(100)
  @Max(600_000)
  maxWaitMs = 30_000;

  /** Time to read one file; past it the reader is killed and the upload refused (400). */
  @Numeric()
  @IsInt()
  @Min(100)
  @Max(600_000)
  timeoutMs = 20_000;

  /** Memory (resident set, MiB) of one reader process; past it it is killed (400). */
  @Numeric()
  @IsInt()
  @Min(128)
  @Max(16_384)
  memoryMb = 256;

  /** Bytes a DOCX's parts may inflate to, counted while inflating (never as declared). */
  @Numeric()
  @IsInt()
  @Min(1_048_576)
  @Max(1_073_741_824)
  maxInflatedBytes = 33_554_432;
}

/**
 * `tasks`: the task engine's section (`tasksSection`) — models, what runs inline, YAML task
 * definitions, the queue, workers, webhooks and file readers.
 */
export class TasksConfig {
  /**
   * Model or route per task, by name: any task — a built-in one (`parse`, `score`,
   * `optimize`, `test`), a YAML definition's or a host's `@Task` handler's. A task not
   * listed uses its own model (a YAML definition's `model`), else `defaultModel`.
   */
  @IsOptional()
  routes: Record<string, string> = {};

  /** Model or route of task types not in `routes` (the example config's `resume` route). */
  @IsString()
  @MinLength(1)
  defaultModel = 'resume';

  /**
   * YAML files of tasks defined without code (name, input fields, prompt template, output
   * JSON schema, rules), read at boot by the resume module; relative paths are resolved
   * from the working directory.
   */
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MinLength(1, { each: true })
  definitions: string[] = [];

  /** Inputs longer than this (characters of text in all) run as queued jobs. */
  @Numeric()
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  inlineMaxChars = 20_000;

  @ValidateNested()
  @Type(() => TaskQueueConfig)
  queue: TaskQueueConfig = new TaskQueueConfig();

  @ValidateNested()
  @Type(() => TaskWorkerConfig)
  worker: TaskWorkerConfig = new TaskWorkerConfig();

  @ValidateNested()
  @Type(() => TaskWebhookConfig)
  webhooks: TaskWebhookConfig = new TaskWebhookConfig();

  @ValidateNested()
  @Type(() => TaskFilesConfig)
  files: TaskFilesConfig = new TaskFilesConfig();
}
