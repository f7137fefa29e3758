import { Module } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AiGatewayModule, GatewayErrorCode } from '@ai-gateway/core';
import type { AiGatewayModuleOptions } from '@ai-gateway/core';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import type { OptimizeTaskOutput } from './optimize/optimize.output';
import type { ParseTaskOutput } from './parse/parse.output';
import { tasksSection } from './config/tasks.section';
import { TaskErrorCode } from './errors/task.error';
import { TaskRegistry } from './task.registry';
import { ResumeModule } from './resume.module';
import type { ScoreTaskOutput } from './score/score.calculator';
import type { TestTaskOutput } from './test/test.output';
import {
  JOB_DESCRIPTION,
  OPTIMIZE_ANSWER,
  PARSE_ANSWER,
  SAMPLE_RESUME,
  SAMPLE_RESUME_TEXT,
  SCORE_ANSWER,
  SCORE_EXPECTED,
  TEST_ANSWER,
} from './testing';

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

  async function boot(options: AiGatewayModuleOptions): Promise<TaskRegistry> {
    @Module({ imports: [AiGatewayModule.forRoot({ ...options, isGlobal: true }), ResumeModule] })
    class HostModule {}
    app = await NestFactory.createApplicationContext(HostModule, { logger: false });
    return app.get(TaskRegistry);
  }

  /** The fake server as the `resume` route (the tasks' default model), no cache. */
  function withFakeRoute(): Promise<TaskRegistry> {
    return boot({
      config: {
        providers: {
          vllm: {
            kind: 'openai-compatible',
            baseUrl: `${fake.url}/v1`,
            models: ['m1', 'm2'],
            maxRetries: 0,
          },
        },
        routes: { resume: { targets: ['vllm/m1'] } },
        cache: { backend: 'disabled' },
      },
      env: { AI_GATEWAY_STORE: 'memory' },
    });
  }

  const requestBody = (index = 0) =>
    fake.requests.filter((r) => r.operation === 'chat')[index]?.body as {
      model: string;
      temperature: number;
      response_format: { type: string; json_schema: { name: string; schema: object } };
      messages: Array<{ role: string; content: string }>;
    };

  it('registers a handler for every task type', async () => {
    const registry = await boot({ env: { AI_GATEWAY_STORE: 'memory' } });
    expect(registry.types()).toEqual(['parse', 'score', 'optimize', 'test']);
  });

  it('parse: one structured call at temperature 0, output validated, usage summed', async () => {
    const registry = await withFakeRoute();
    fake.enqueue({ text: PARSE_ANSWER, usage: { prompt: 900, completion: 700 } });

    const result = await registry.execute(
      'parse',
      { resumeText: SAMPLE_RESUME_TEXT },
      { requestId: 'job-1' },
    );

    const output = result.output as ParseTaskOutput;
    expect(result.type).toBe('parse');
    expect(output.resume.basics?.name).toBe('Richard Hendriks');
    expect(output.confidence.work).toBeGreaterThan(0);
    expect(result.model).toEqual({ provider: 'vllm', model: 'm1', fake: false });
    expect(result.calls).toEqual([
      expect.objectContaining({ provider: 'vllm', model: 'm1', repair: false, outcome: 'valid' }),
    ]);
    expect(result.usage).toMatchObject({
      promptTokens: 900,
      completionTokens: 700,
      totalTokens: 1600,
    });
    const body = requestBody();
    expect(body.model).toBe('m1');
    expect(body.temperature).toBe(0);
    expect(body.response_format.type).toBe('json_schema');
    expect(body.response_format.json_schema.name).toBe('resume_parse');
    expect(body.messages[1].content).toContain('<resume>\nRichard Hendriks\nProgrammer');
  });

  it("reads the host's `tasks` section when the host passes it to the gateway module", async () => {
    const registry = await boot({
      config: {
        providers: {
          vllm: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['m1', 'm2'] },
        },
        routes: { resume: { targets: ['vllm/m1'] } },
        cache: { backend: 'disabled' },
        tasks: { routes: { parse: 'vllm/m2' } },
      },
      env: { AI_GATEWAY_STORE: 'memory' },
      configSections: [tasksSection],
    });
    fake.enqueue({ text: PARSE_ANSWER });
    const result = await registry.execute('parse', { resumeText: SAMPLE_RESUME_TEXT });
    expect(result.model).toEqual({ provider: 'vllm', model: 'm2', fake: false });
  });

  it('parse: a .txt file is read at prepare time and parsed like text', async () => {
    const registry = await withFakeRoute();
    fake.enqueue({ text: PARSE_ANSWER });
    const file = {
      filename: 'richard-hendriks.txt',
      contentBase64: Buffer.from(SAMPLE_RESUME_TEXT).toString('base64'),
    };
    const prepared = await registry.prepare('parse', { file });
    expect(prepared.input).toEqual({ resumeText: expect.stringContaining('Pied Piper') as string });

    const result = await registry.run(prepared);
    expect((result.output as ParseTaskOutput).resume.work?.[0].name).toBe('Pied Piper');
  });

  it('score: the model judges, the numbers come from code', async () => {
    const registry = await withFakeRoute();
    fake.enqueue({ text: SCORE_ANSWER });
    const result = await registry.execute('score', {
      resumeText: SAMPLE_RESUME_TEXT,
      jobDescription: JOB_DESCRIPTION,
    });
    expect(result.output).toMatchObject(SCORE_EXPECTED);
    expect((result.output as ScoreTaskOutput).reasons).toHaveLength(5);
    expect(requestBody().response_format.json_schema.name).toBe('resume_score');
  });

  it('score: a JSON resume is sent rendered as text, its sections read from the JSON', async () => {
    const registry = await withFakeRoute();
    const answer = JSON.parse(SCORE_ANSWER) as { sectionsPresent: string[] };
    answer.sectionsPresent = [];
    fake.enqueue({ text: JSON.stringify(answer) });
    const result = await registry.execute('score', {
      resume: SAMPLE_RESUME,
      jobDescription: JOB_DESCRIPTION,
    });
    expect((result.output as ScoreTaskOutput).subScores.sections).toBe(100);
    expect(requestBody().messages[1].content).toContain(
      `<resume>\n${SAMPLE_RESUME_TEXT}\n</resume>`,
    );
  });

  it('optimize: a JSON resume is sent as JSON, and the rewrite comes back with its changes', async () => {
    const registry = await withFakeRoute();
    fake.enqueue({ text: OPTIMIZE_ANSWER });
    const result = await registry.execute('optimize', {
      resume: SAMPLE_RESUME,
      jobDescription: JOB_DESCRIPTION,
    });
    const output = result.output as OptimizeTaskOutput;
    expect(output.resume.work?.[0]).toMatchObject({
      name: 'Pied Piper',
      position: 'CEO/President',
    });
    expect(output.changes.length).toBeGreaterThan(0);
    expect(requestBody().messages[1].content).toContain('"name": "Pied Piper"');
  });

  it('test: a skills test with the default 8 questions, on the model the caller chose', async () => {
    const registry = await withFakeRoute();
    fake.enqueue({ text: TEST_ANSWER }, 1, { model: 'm2' });
    const result = await registry.execute(
      'test',
      { resumeText: SAMPLE_RESUME_TEXT, jobDescription: JOB_DESCRIPTION },
      { model: 'vllm/m2' },
    );
    expect((result.output as TestTaskOutput).questions).toHaveLength(8);
    expect(result.model.model).toBe('m2');
    expect(requestBody().messages[1].content).toContain('Write exactly 8 questions.');
  });

  it('rejects bad input before any model call', async () => {
    const registry = await withFakeRoute();
    await expect(registry.execute('parse', { resumeText: '' })).rejects.toMatchObject({
      code: GatewayErrorCode.INVALID_REQUEST,
      param: 'input.resumeText',
    });
    await expect(
      registry.execute('test', { resumeText: 'cv', jobDescription: 'jd', count: 50 }),
    ).rejects.toMatchObject({ code: GatewayErrorCode.INVALID_REQUEST, param: 'input.count' });
    expect(fake.requests).toHaveLength(0);
  });

  it('the embedded local fake echoes rather than answering, so a task on it fails honestly', async () => {
    const registry = await boot({ env: { AI_GATEWAY_STORE: 'memory' } });
    const error = await registry
      .execute('optimize', { resumeText: 'cv', jobDescription: 'jd' })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ code: TaskErrorCode.INVALID_OUTPUT, retryable: false });
  });
});
