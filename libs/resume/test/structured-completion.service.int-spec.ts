import { Module } from '@nestjs/common';
import type { INestApplicationContext } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { AiGatewayModule, GatewayErrorCode } from '@ai-gateway/core';
import type { FakeProviderServer, FakeScript } from '@ai-gateway/fake-provider';
import { startFakeProvider } from '@ai-gateway/fake-provider';
import { TaskErrorCode } from '../src/errors/task.error';
import { ResumeModule } from '../src/resume.module';
import { ResumeTaskType } from '../src/resume-task-type.enum';
import type { StructuredRequest } from '../src/structured/structured-completion.service';
import { StructuredCompletionService } from '../src/structured/structured-completion.service';
import type { TaskOutputSpec } from '../src/structured/task-output-spec';

/** A spec small enough to read in one glance: the answer must be `{"word": <expected>}`. */
const WORD_SPEC: TaskOutputSpec<{ expected: string }, { word: string }> = {
  name: 'word_check',
  jsonSchema: {
    type: 'object',
    properties: { word: { type: 'string' } },
    required: ['word'],
    additionalProperties: false,
  },
  check: (answer, input) => {
    const word = (answer as { word?: unknown }).word;
    return word === input.expected
      ? { ok: true, value: { word } }
      : { ok: false, problems: [`word must be "${input.expected}"`] };
  },
};

const VALID = JSON.stringify({ word: 'blue' });
const WRONG_WORD = JSON.stringify({ word: 'red' });
const NOT_JSON = 'Sure! {"word": "blue"';

/**
 * StructuredCompletionService against the real fake provider over HTTP, through a real
 * AiGatewayModule: a route of two providers (alpha/m1 first, beta/m2 second), no
 * retries on the same provider, the exact cache in memory. Each test boots its own
 * gateway, so breakers and the cache start empty.
 */
describe(`${StructuredCompletionService.name} (integration)`, () => {
  let fake: FakeProviderServer;
  let app: INestApplicationContext;
  let service: StructuredCompletionService;

  beforeAll(async () => {
    fake = await startFakeProvider();
  });
  afterAll(() => fake.close());

  beforeEach(async () => {
    fake.reset();
    const provider = (model: string) => ({
      kind: 'openai-compatible',
      baseUrl: `${fake.url}/v1`,
      models: [model],
      maxRetries: 0,
      modelInfo: { [model]: { inputCostPerMTok: 1, outputCostPerMTok: 2 } },
    });
    @Module({
      imports: [
        AiGatewayModule.forRoot({
          config: {
            providers: { alpha: provider('m1'), beta: provider('m2') },
            routes: { 'task-route': { targets: ['alpha/m1', 'beta/m2'] } },
            cache: { backend: 'memory' },
          },
          env: { AI_GATEWAY_STORE: 'memory' },
          isGlobal: true,
        }),
        ResumeModule,
      ],
    })
    class HostModule {}
    app = await NestFactory.createApplicationContext(HostModule, { logger: false });
    service = app.get(StructuredCompletionService);
  });
  afterEach(() => app.close());

  const script = (model: string, ...answers: FakeScript[]) => {
    for (const answer of answers) fake.enqueue(answer, 1, { model });
  };
  const callsTo = (model: string) =>
    fake.requests.filter((r) => r.operation === 'chat' && r.model === model);
  const request = (
    prompt = 'Answer with the word blue.',
  ): StructuredRequest<{ expected: string }, { word: string }> => ({
    task: ResumeTaskType.PARSE,
    model: 'task-route',
    messages: [{ role: 'user', content: prompt }],
    spec: WORD_SPEC,
    input: { expected: 'blue' },
  });
  const outcomes = (
    calls: ReadonlyArray<{ provider?: string; repair: boolean; outcome: string }>,
  ) => calls.map((c) => [c.provider, c.repair, c.outcome]);

  it('a valid first answer takes one call, in json_schema mode at temperature 0', async () => {
    script('m1', { text: VALID, usage: { prompt: 10, completion: 4 } });
    const result = await service.complete(request(), { requestId: 'req-1' });

    expect(result).toMatchObject({ value: { word: 'blue' }, provider: 'alpha', model: 'm1' });
    expect(outcomes(result.calls)).toEqual([['alpha', false, 'valid']]);
    expect(result.calls[0]).toMatchObject({
      promptTokens: 10,
      completionTokens: 4,
      costMicroUsd: 18,
    });
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].body).toMatchObject({
      temperature: 0,
      response_format: { type: 'json_schema', json_schema: { name: 'word_check' } },
    });
  });

  it('invalid JSON, then a valid repair: two calls, the second on the same model', async () => {
    script('m1', { text: NOT_JSON }, { text: VALID });
    const result = await service.complete(request(), {});

    expect(outcomes(result.calls)).toEqual([
      ['alpha', false, 'invalid'],
      ['alpha', true, 'valid'],
    ]);
    expect(result.calls[0].problems).toBe(1);
    const [, repair] = callsTo('m1');
    const messages = (repair.body as { messages: Array<{ role: string; content: string }> })
      .messages;
    expect(messages.slice(1)).toEqual([
      { role: 'assistant', content: NOT_JSON },
      {
        role: 'user',
        content:
          'Your answer was rejected:\n- the answer is not valid JSON\n' +
          'Answer again with the complete corrected JSON object only: no prose, no code fences.',
      },
    ]);
    expect(callsTo('m2')).toHaveLength(0);
  });

  it('invalid twice on one model moves to the next candidate of the route', async () => {
    script('m1', { text: NOT_JSON }, { text: WRONG_WORD });
    script('m2', { text: VALID });
    const result = await service.complete(request(), {});

    expect(result.provider).toBe('beta');
    expect(outcomes(result.calls)).toEqual([
      ['alpha', false, 'invalid'],
      ['alpha', true, 'invalid'],
      ['beta', false, 'valid'],
    ]);
    expect(callsTo('m1')).toHaveLength(2);
    expect(callsTo('m2')).toHaveLength(1);
  });

  it('all candidates invalid: INVALID_OUTPUT, not retryable, after one repair on each', async () => {
    script('m1', { text: NOT_JSON }, { text: WRONG_WORD });
    script('m2', { text: '[1, 2]' }, { text: '', finishReason: 'length' });
    const error = await service.complete(request(), {}).catch((e: unknown) => e);

    expect(error).toMatchObject({
      code: TaskErrorCode.INVALID_OUTPUT,
      retryable: false,
      message: expect.stringContaining('tried alpha/m1, beta/m2, one repair each') as string,
    });
    expect(callsTo('m1')).toHaveLength(2);
    expect(callsTo('m2')).toHaveLength(2);
  });

  it('a provider that keeps failing (500): the route falls back to the next one', async () => {
    fake.enqueue({ status: 500 }, -1, { model: 'm1' });
    script('m2', { text: VALID });
    const result = await service.complete(request(), {});

    expect(result).toMatchObject({ provider: 'beta', model: 'm2', value: { word: 'blue' } });
    expect(outcomes(result.calls)).toEqual([['beta', false, 'valid']]);
    expect(callsTo('m1').length).toBeGreaterThanOrEqual(1);
  });

  it('a repair that cannot be sent counts as failed, and the next candidate answers', async () => {
    script('m1', { text: WRONG_WORD }, { status: 503 });
    script('m2', { text: VALID });
    const result = await service.complete(request(), {});

    expect(result.provider).toBe('beta');
    expect(result.calls[0]).toMatchObject({ provider: 'alpha', repair: false, outcome: 'invalid' });
    expect(result.calls.at(-1)).toMatchObject({
      provider: 'beta',
      repair: false,
      outcome: 'valid',
    });
    expect(result.calls.filter((c) => c.outcome === 'error')).not.toHaveLength(0);
    expect(callsTo('m1')).toHaveLength(2);
  });

  it('records a failed repair call once', async () => {
    script('m1', { text: WRONG_WORD }, { status: 503 });
    script('m2', { text: VALID });
    const result = await service.complete(request(), {});
    expect(result.calls.map((c) => [c.provider, c.repair, c.outcome, c.error])).toEqual([
      ['alpha', false, 'invalid', undefined],
      ['alpha', true, 'error', GatewayErrorCode.SERVER_ERROR],
      ['beta', false, 'valid', undefined],
    ]);
  });

  it('an invalid answer is never cached (asked again next time); a valid one is', async () => {
    script('m1', { text: NOT_JSON }, { text: VALID });
    const first = await service.complete(request(), {});
    expect(first.calls.map((c) => c.cache)).toEqual(['miss', 'miss']);
    expect(fake.requests).toHaveLength(2);

    // Same task again: the invalid first answer was not stored, so the provider is asked
    // again; the repair (same messages as before) was valid, so it comes from the cache.
    script('m1', { text: NOT_JSON });
    const second = await service.complete(request(), {});
    expect(second.calls.map((c) => [c.repair, c.outcome, c.cache])).toEqual([
      [false, 'invalid', 'miss'],
      [true, 'valid', 'hit'],
    ]);
    expect(second.calls[1].costMicroUsd).toBe(0);
    expect(fake.requests).toHaveLength(3);
  });

  it('a valid first answer is cached: the same task again makes no provider call', async () => {
    script('m1', { text: VALID });
    await service.complete(request('Answer with the word blue, please.'), {});
    const again = await service.complete(request('Answer with the word blue, please.'), {});

    expect(again.value).toEqual({ word: 'blue' });
    expect(again.calls.map((c) => [c.outcome, c.cache])).toEqual([['valid', 'hit']]);
    expect(fake.requests).toHaveLength(1);
  });
});
