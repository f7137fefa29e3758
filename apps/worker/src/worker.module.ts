import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { Processor } from '@nestjs/bullmq';
import { AiGatewayModule, GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import type { ConfigReloadSource, GatewayConfig } from '@ai-gateway/core';
import {
  TaskQueueModule,
  TaskQueueName,
  queueDriverOf,
  tasksConfigOf,
  tasksSection,
} from '@ai-gateway/resume';
import { ResumeTaskProcessor } from './processors/resume-task.processor';
import { TaskWebhookProcessor } from './processors/task-webhook.processor';

/** Webhook deliveries a worker sends at once (each is one small POST). */
const WEBHOOK_CONCURRENCY = 16;

/**
 * The worker: the gateway library in-process (same config, same request path as the
 * gateway app), the task queue, and its processors. The processors' BullMQ options come
 * from config, so `@Processor` is applied here, once, rather than with constants in the
 * class files.
 */
@Module({})
export class WorkerModule {
  /** `reload`: how a hot reload reads the YAML again (file change, SIGHUP, a peer's reload). */
  static register(config: GatewayConfig, reload?: ConfigReloadSource): DynamicModule {
    if (queueDriverOf(config) !== 'bullmq') {
      throw new GatewayError(
        GatewayErrorCode.INVALID_CONFIG,
        'The worker needs Redis for the task queue: set REDIS_URL (or redis.url, or tasks.queue.redisUrl). Without Redis, jobs run inside the gateway process and no worker is needed.',
      );
    }
    const worker = tasksConfigOf(config).worker;
    Processor(
      { name: TaskQueueName.TASKS },
      {
        autorun: false,
        concurrency: worker.concurrency,
        lockDuration: worker.lockDurationMs,
        stalledInterval: worker.stalledIntervalMs,
        maxStalledCount: worker.maxStalledCount,
      },
    )(ResumeTaskProcessor);
    Processor(
      { name: TaskQueueName.WEBHOOKS },
      { autorun: false, concurrency: WEBHOOK_CONCURRENCY },
    )(TaskWebhookProcessor);
    return {
      module: WorkerModule,
      imports: [
        // Global: the resume handlers inject AiGatewayService from their own module.
        AiGatewayModule.forRoot({
          resolvedConfig: config,
          reload,
          configSections: [tasksSection],
          isGlobal: true,
        }),
        TaskQueueModule.register(config, { role: 'worker' }),
      ],
      providers: [ResumeTaskProcessor, TaskWebhookProcessor],
    };
  }
}
