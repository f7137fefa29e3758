import { Injectable, Logger } from '@nestjs/common';
import { GatewayErrorCode, UsageWriter, isGatewayError, runJobTraced } from '@ai-gateway/core';
import { performance } from 'node:perf_hooks';
import { isTaskError } from '../errors/task.error';
import { TaskRegistry } from '../task.registry';
import type { TaskResult } from '../task-result';
import type { TaskJobData, TaskJobError } from './task-job.types';
import { TaskQueueMetrics } from './task-queue.metrics';

/** Codes worth another run later even when the error itself says otherwise. */
const RETRY_LATER: ReadonlySet<string> = new Set([
  GatewayErrorCode.NO_PROVIDER_AVAILABLE,
  GatewayErrorCode.BUDGET_UNAVAILABLE,
  GatewayErrorCode.RATE_LIMIT_UNAVAILABLE,
  GatewayErrorCode.RATE_LIMIT_EXCEEDED,
  GatewayErrorCode.AUTH_UNAVAILABLE,
  GatewayErrorCode.STREAM_INTERRUPTED,
]);

/** Longest wait for a run's usage rows to be written before the job is settled. */
const USAGE_FLUSH_MS = 5_000;

/** A run that failed, with what the job should do about it. */
export class TaskRunFailure extends Error {
  constructor(
    readonly failure: TaskJobError,
    /** The run was cancelled (worker shutting down): release the job, do not fail it. */
    readonly cancelled = false,
  ) {
    super(`${failure.code}: ${failure.message}`);
    this.name = 'TaskRunFailure';
  }
}

/** One run of a job: which job, which attempt, and how to cancel it. */
export interface TaskRun {
  jobId: string;
  /** 1 for the first run. */
  attempt: number;
  signal?: AbortSignal;
  /** The queue driver, as the run's span names it (`bullmq`, `in-process`). */
  system?: string;
}

/**
 * Runs one job through the same handlers as an inline task, for both queue drivers:
 * a request id per run (usage rows of a re-run never collide with the first's), the
 * metrics, and the one decision drivers need — retry later or fail for good. Invalid
 * output and caller errors are final; provider outages, limits and timeouts are retried.
 * Nothing of the input or the result is logged, only ids, types and codes.
 */
@Injectable()
export class TaskJobRunner {
  private readonly logger = new Logger(TaskJobRunner.name);

  constructor(
    private readonly registry: TaskRegistry,
    private readonly metrics: TaskQueueMetrics,
    private readonly usage: UsageWriter,
  ) {}

  /**
   * A run in its own scope: a consumer span linked to the request that enqueued the job
   * (its trace context travels in the job's data), the run's request id on its log lines.
   */
  run(data: TaskJobData, run: TaskRun): Promise<TaskResult> {
    const requestId = `${run.jobId}_r${run.attempt}_${Math.random().toString(36).slice(2, 8)}`;
    return runJobTraced(
      {
        requestId,
        jobId: run.jobId,
        type: data.type,
        attempt: run.attempt,
        system: run.system ?? 'queue',
        carrier: data.trace,
      },
      () => this.runScoped(data, run, requestId),
    );
  }

  private async runScoped(data: TaskJobData, run: TaskRun, requestId: string): Promise<TaskResult> {
    const started = performance.now();
    try {
      const result = await this.registry.run(data, {
        requestId,
        signal: run.signal,
        caller: data.caller,
        model: data.model,
      });
      await this.flushUsage();
      this.observe(data, 'completed', started);
      return result;
    } catch (error) {
      await this.flushUsage();
      const failure = classify(error);
      const cancelled =
        failure.code === String(GatewayErrorCode.CANCELLED) && run.signal?.aborted === true;
      this.observe(
        data,
        cancelled ? 'released' : failure.retryable ? 'retried' : 'failed',
        started,
      );
      this.logger.warn({
        msg: cancelled ? 'task job released' : 'task job run failed',
        jobId: run.jobId,
        type: data.type,
        attempt: run.attempt,
        code: failure.code,
        retryable: failure.retryable,
      });
      throw new TaskRunFailure(failure, cancelled);
    }
  }

  /**
   * Writes the run's usage rows (to the database, or the durable buffer) before the job
   * is settled: a worker killed right after completing a job must not take the rows of
   * its paid calls with it. Bounded: a slow database delays the job, never blocks it.
   */
  private async flushUsage(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([
      this.usage.flush().catch(() => undefined),
      new Promise<void>((resolve) => {
        timer = setTimeout(resolve, USAGE_FLUSH_MS);
      }),
    ]).finally(() => clearTimeout(timer));
  }

  private observe(data: TaskJobData, outcome: string, started: number): void {
    this.metrics.duration.observe(
      { type: data.type, outcome },
      (performance.now() - started) / 1_000,
    );
  }
}

/** The stored form of any error a run can end with. */
export function classify(error: unknown): TaskJobError {
  if (isGatewayError(error)) {
    return {
      code: error.code,
      message: error.message,
      retryable: error.retryable || RETRY_LATER.has(error.code),
    };
  }
  // The task engine's own: invalid output is final (the same models would answer alike).
  if (isTaskError(error)) {
    return { code: error.code, message: error.message, retryable: error.retryable };
  }
  // A bug fails the same way every time: not retried, and the message stays generic.
  return { code: GatewayErrorCode.INTERNAL, message: 'internal error', retryable: false };
}

/** Reads back the `code: message` form a failure is stored in (BullMQ keeps only a string). */
export function parseStoredFailure(reason: string | undefined, final: boolean): TaskJobError {
  const match = /^([a-z_]+): ([\s\S]*)$/.exec(reason ?? '');
  return match
    ? { code: match[1], message: match[2], retryable: !final }
    : { code: GatewayErrorCode.INTERNAL, message: reason || 'unknown failure', retryable: !final };
}
