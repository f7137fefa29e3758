import type { DynamicModule, Provider } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { BullModule } from '@nestjs/bullmq';
import type { GatewayConfig } from '@ai-gateway/core';
import { tasksConfigOf } from '../config/tasks.section';
import { ResumeModule } from '../resume.module';
import { BullMqTaskQueue } from './bullmq-task.queue';
import { InProcessTaskQueue } from './in-process-task.queue';
import { queueDriverOf, queueRedisOptions } from './queue-redis';
import { RedisEvictionCheck } from './redis-eviction.check';
import { TaskEnqueueLimits } from './task-enqueue-limits';
import { TenantJobsRepository } from './tenant-jobs.repository';
import { TaskJobRunner } from './task-job.runner';
import { TASK_QUEUE, TaskQueueName } from './task-job.types';
import { TaskQueueMetrics } from './task-queue.metrics';
import { WebhookSender } from './task-webhook';
import { BullMqWebhookQueue } from './bullmq-webhook.queue';
import { WebhookDeliveries } from './webhook-deliveries';

export interface TaskQueueModuleOptions {
  /**
   * `producer`: enqueue and read (the gateway app, a host backend); `worker`: the same
   * connections set up for processors, which the worker app adds itself.
   */
  role: 'producer' | 'worker';
}

/**
 * The task queue behind `TASK_QUEUE`, chosen once from config: BullMQ (via
 * @nestjs/bullmq) when Redis is configured, else the in-process driver, which also runs
 * the jobs. Needs `AiGatewayModule` imported globally (handlers call the gateway).
 */
@Module({})
export class TaskQueueModule {
  static register(config: GatewayConfig, options: TaskQueueModuleOptions): DynamicModule {
    const common: Provider[] = [
      TaskQueueMetrics,
      TaskJobRunner,
      WebhookSender,
      WebhookDeliveries,
      TaskEnqueueLimits,
    ];
    if (queueDriverOf(config) === 'in-process') {
      return {
        module: TaskQueueModule,
        imports: [ResumeModule],
        providers: [
          ...common,
          InProcessTaskQueue,
          { provide: TASK_QUEUE, useExisting: InProcessTaskQueue },
        ],
        exports: [TASK_QUEUE, TaskJobRunner, TaskQueueMetrics, WebhookDeliveries, ResumeModule],
      };
    }
    const bull = [
      BullModule.forRoot({
        connection: queueRedisOptions(config, options.role),
        prefix: tasksConfigOf(config).queue.prefix,
      }),
      BullModule.registerQueue({ name: TaskQueueName.TASKS }, { name: TaskQueueName.WEBHOOKS }),
    ];
    return {
      module: TaskQueueModule,
      imports: [ResumeModule, ...bull],
      providers: [
        ...common,
        BullMqTaskQueue,
        BullMqWebhookQueue,
        TenantJobsRepository,
        RedisEvictionCheck,
        { provide: TASK_QUEUE, useExisting: BullMqTaskQueue },
      ],
      exports: [
        TASK_QUEUE,
        TaskJobRunner,
        TaskQueueMetrics,
        WebhookDeliveries,
        BullMqWebhookQueue,
        ResumeModule,
        BullModule,
        RedisEvictionCheck,
      ],
    };
  }
}
