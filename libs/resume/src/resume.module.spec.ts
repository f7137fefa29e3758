import { Module } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AiGatewayModule, GatewayErrorCode } from '@ai-gateway/core';
import type { AiGatewayModuleOptions } from '@ai-gateway/core';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import type { ModelTaskOutput } from './resume-task-handler.interface';
import { ResumeTaskRegistry } from './resume-task.registry';
import { ResumeModule } from './resume.module';
import type { TestTaskOutput } from './test/test.handler';

describe(ResumeModule.name, () => {
  let fake: FakeProviderServer;
  let app: INestApplicationContext | undefined;

  beforeAll(async () => {
    fake = await startFakeProvider();
  });
  afterAll(() => fake.close());
  beforeEach(() => fake.reset());
  afterEach(async () => {
    await app?.close();
    app = undefined;
  });

  async function boot(options: AiGatewayModuleOptions): Promise<ResumeTaskRegistry> {
    @Module({ imports: [AiGatewayModule.forRoot({ ...options, isGlobal: true }), ResumeModule] })
    class HostModule {}
    app = await NestFactory.createApplicationContext(HostModule, { logger: false });
    return app.get(ResumeTaskRegistry);
  }

  /** The fake server under the name the tasks' default model points at. */
  function fakeAsDefaultModel(): AiGatewayModuleOptions {
    return {
      config: {
        providers: {
          'local-fake': { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, fake: true },
        },
      },
      env: {},
    };
  }

  it('registers a handler for every task type', async () => {
    const registry = await boot({ env: {} });
    expect(registry.types()).toEqual(['parse', 'score', 'optimize', 'test']);
  });

  it('parse calls the default model in JSON mode and returns the parsed object with its meta', async () => {
    const registry = await boot(fakeAsDefaultModel());
    fake.enqueue({ text: '{"basics":{"name":"Ada Lovelace"}}' });

    const output = (await registry.execute(
      'parse',
      { resumeText: 'Ada Lovelace' },
      { requestId: 'job-1' },
    )) as ModelTaskOutput;

    expect(output.data).toEqual({ basics: { name: 'Ada Lovelace' } });
    expect(output.meta).toMatchObject({
      requestId: 'job-1',
      provider: 'local-fake',
      model: 'echo',
      fake: true,
    });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].model).toBe('echo');
    expect(fake.requests[0].body).toMatchObject({
      response_format: { type: 'json_object' },
      temperature: 0,
    });
  });

  it('fails with SERVER_ERROR "invalid model output" when the answer is not a JSON object', async () => {
    const registry = await boot(fakeAsDefaultModel());
    for (const text of ['Sure! Here is the JSON: {', '[1, 2]']) {
      fake.enqueue({ text });
      await expect(
        registry.execute('score', { resumeText: 'cv', jobDescription: 'jd' }),
      ).rejects.toMatchObject({
        code: GatewayErrorCode.SERVER_ERROR,
        provider: 'local-fake',
        message: expect.stringContaining('invalid model output') as string,
      });
    }
  });

  it('the embedded local fake echoes rather than answering, so a task on it fails honestly', async () => {
    const registry = await boot({ env: {} });
    await expect(
      registry.execute('optimize', { resumeText: 'cv', jobDescription: 'jd' }),
    ).rejects.toMatchObject({ code: GatewayErrorCode.SERVER_ERROR });
  });

  it('rejects bad input before any model call', async () => {
    const registry = await boot(fakeAsDefaultModel());
    await expect(registry.execute('parse', { resumeText: '' })).rejects.toMatchObject({
      code: GatewayErrorCode.INVALID_REQUEST,
      param: 'input.resumeText',
    });
    expect(fake.requests).toHaveLength(0);
  });

  it('test reports each probed model: ok, wrong answer, unknown model', async () => {
    const registry = await boot({
      config: {
        providers: {
          vllm: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['good', 'bad'] },
        },
      },
      env: {},
    });
    fake.enqueue({ text: '{"ok":true}', usage: { prompt: 20, completion: 4 } }, 1, {
      model: 'good',
    });
    fake.enqueue({ text: 'pong' }, 1, { model: 'bad' });

    const { probes } = (await registry.execute('test', {
      models: ['vllm/good', 'vllm/bad', 'nowhere/x'],
    })) as TestTaskOutput;

    expect(probes.map(({ model, status, provider }) => ({ model, status, provider }))).toEqual([
      { model: 'vllm/good', status: 'ok', provider: 'vllm' },
      { model: 'vllm/bad', status: 'error', provider: 'vllm' },
      { model: 'nowhere/x', status: 'error', provider: undefined },
    ]);
    expect(probes[0]).toMatchObject({ fake: false, usage: { prompt: 20, completion: 4 } });
    expect(probes[0].latencyMs).toBeGreaterThanOrEqual(0);
    expect(probes[1].error?.code).toBe(GatewayErrorCode.SERVER_ERROR);
    expect(probes[2].error?.code).toBe(GatewayErrorCode.MODEL_NOT_FOUND);
  });
});
