import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { GatewayErrorCode, loadGatewayConfig } from '@ai-gateway/core';
import { ResumeTaskType, TASK_QUEUE, TaskRegistry, tasksSection } from '@ai-gateway/resume';
import type { TaskQueue } from '@ai-gateway/resume';
import { randomUUID } from 'node:crypto';
import { ResumeTaskProcessor } from './processors/resume-task.processor';
import { WorkerModule } from './worker.module';

describe(WorkerModule.name, () => {
  it('refuses to start without Redis: there is no queue to work on', () => {
    const config = loadGatewayConfig({ env: {}, sections: [tasksSection] });
    expect(() => WorkerModule.register(config)).toThrow(
      expect.objectContaining({ code: GatewayErrorCode.INVALID_CONFIG }),
    );
  });

  describe('with Redis', () => {
    let app: INestApplicationContext;

    beforeAll(async () => {
      const config = loadGatewayConfig({
        config: {
          redis: { url: 'redis://127.0.0.1:6379' },
          tasks: {
            queue: { prefix: `spec-worker-${randomUUID().slice(0, 8)}` },
            worker: { concurrency: 3 },
          },
        },
        // Its usage store in memory: the file store would be ./data of the test run.
        env: { AI_GATEWAY_STORE: 'memory' },
        sections: [tasksSection],
      });
      app = await NestFactory.createApplicationContext(WorkerModule.register(config), {
        logger: false,
      });
    });
    afterAll(() => app.close());

    it('boots with a task registry that knows the four task types', () => {
      const registry = app.get(TaskRegistry);
      expect(registry.types()).toEqual([
        ResumeTaskType.PARSE,
        ResumeTaskType.SCORE,
        ResumeTaskType.OPTIMIZE,
        ResumeTaskType.TEST,
      ]);
    });

    it('runs the task processor with the configured concurrency, on BullMQ', async () => {
      const processor = app.get(ResumeTaskProcessor);
      expect(processor.worker.concurrency).toBe(3);
      expect(processor.worker.opts.autorun).toBe(false);
      const queue = app.get<TaskQueue>(TASK_QUEUE);
      expect(queue.driver).toBe('bullmq');
      expect(await queue.ping(1_000)).toBe(true);
    });
  });
});
