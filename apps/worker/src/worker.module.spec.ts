import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AiGatewayService, loadGatewayConfig } from '@ai-gateway/core';
import { ResumeTaskRegistry, ResumeTaskType } from '@ai-gateway/resume';
import { WorkerModule } from './worker.module';

describe(WorkerModule.name, () => {
  let app: INestApplicationContext;

  beforeAll(async () => {
    // No providers configured: the gateway falls back to its embedded local fake.
    const config = loadGatewayConfig({ env: {} });
    expect(config.embeddedFake).toBe(true);
    app = await NestFactory.createApplicationContext(WorkerModule.register(config), {
      logger: false,
    });
  });
  afterAll(() => app.close());

  it('boots with a task registry that knows the four task types', () => {
    const registry = app.get(ResumeTaskRegistry);
    expect(registry.types()).toEqual([
      ResumeTaskType.PARSE,
      ResumeTaskType.SCORE,
      ResumeTaskType.OPTIMIZE,
      ResumeTaskType.TEST,
    ]);
    for (const type of registry.types()) expect(registry.get(type).type).toBe(type);
  });

  it('runs the gateway in-process, on the embedded fake', () => {
    expect(app.get(AiGatewayService).listModels()[0]).toMatchObject({
      id: 'local-fake/echo',
      fake: true,
    });
  });
});
