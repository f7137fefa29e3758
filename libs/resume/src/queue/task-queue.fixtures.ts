import { GatewayMetrics, RateLimiter, systemClock } from '@ai-gateway/core';
import { MemoryRateLimitStore, RateLimitMetrics } from '@ai-gateway/core/testing';
import type { Clock, GatewayConfigService } from '@ai-gateway/core';
import { TaskModels } from '../task-models';
import { TaskEnqueueLimits } from './task-enqueue-limits';

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
