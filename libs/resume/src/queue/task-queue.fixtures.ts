import { GatewayMetrics, RateLimiter, systemClock } from '@ai-gateway/core';
import { MemoryRateLimitStore, RateLimitMetrics } from '@ai-gateway/core/testing';
import type { Clock, GatewayConfigService } from '@ai-gateway/core';
import { TaskModels } from '../task-models';
import type { TaskResult } from '../task-result';
import { TaskEnqueueLimits } from './task-enqueue-limits';
import type { TaskRun } from './task-job.runner';
import type { TaskJobData } from './task-job.types';

/** Enqueue limits over an in-memory rate limiter (as without Redis), for driver tests. */
export function enqueueLimitsFor(
  config: GatewayConfigService,
  clock: Clock = systemClock,
): TaskEnqueueLimits {
  const limiter = new RateLimiter(
    config,
    clock,
    new MemoryRateLimitStore(),
    new RateLimitMetrics(new GatewayMetrics()),
  );
  return new TaskEnqueueLimits(config, limiter, new TaskModels(config));
}

export function resultOf(data: TaskJobData): TaskResult {
  return {
    type: data.type,
    output: { echoed: data.input },
    model: { provider: 'fake', model: 'm', fake: true },
    calls: [],
    usage: { promptTokens: 0, completionTokens: 0, totalTokens: 0, costMicroUsd: 0, costUsd: 0 },
  };
}

/** A runner whose runs the test settles by hand. */
export class ScriptedRunner {
  readonly runs: Array<{ data: TaskJobData; run: TaskRun; settle: (error?: Error) => void }> = [];
  run(data: TaskJobData, run: TaskRun): Promise<TaskResult> {
    return new Promise((resolve, reject) => {
      this.runs.push({
        data,
        run,
        settle: (error?: Error) => (error === undefined ? resolve(resultOf(data)) : reject(error)),
      });
    });
  }
}

export const flush = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export async function until(check: () => boolean | Promise<boolean>): Promise<void> {
  for (let i = 0; i < 1_000; i++) {
    if (await check()) return;
    await flush();
  }
  throw new Error('condition never held');
}
