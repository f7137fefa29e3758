import { startFakeProvider } from '@ai-gateway/fake-provider';
import type { FakeProviderServer } from '@ai-gateway/fake-provider';
import { TaskQueueName } from '@ai-gateway/resume';
import { PARSE_ANSWER, SAMPLE_RESUME_TEXT } from '@ai-gateway/resume/testing';
import { Queue } from 'bullmq';
import { randomBytes, randomUUID } from 'node:crypto';
import { TestRedis } from './test-redis';
import { GatewayProcess, WORKER_MAIN } from './gateway-process';
import type { ReceivedSpan } from './otlp-receiver';
import { OtlpReceiver } from './otlp-receiver';

const REDIS = { host: '127.0.0.1', port: 6379, maxRetriesPerRequest: null };
const SERVER = 2;
const CLIENT = 3;
const CONSUMER = 5;
const ERROR = 2;

/** The standard variables an operator sets: OTLP over HTTP to the test's collector. */
function otelEnv(receiver: OtlpReceiver, protocol: 'http/json' | 'http/protobuf') {
  return {
    OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url,
    OTEL_EXPORTER_OTLP_PROTOCOL: protocol,
    // Exported within a fraction of a second rather than the default 5 s / 60 s.
    OTEL_BSP_SCHEDULE_DELAY: '100',
    OTEL_METRIC_EXPORT_INTERVAL: '500',
  };
}

/** Every attribute value of a trace, its events' included, as text. */
function allValues(spans: ReceivedSpan[]): string {
  return JSON.stringify(
    spans.map((s) => [s.name, s.attributes, s.events.map((e) => [e.name, e.attributes])]),
  );
}

/**
 * Issue 17, must-show 1: OpenTelemetry traces with the GenAI conventions, exported by the
 * real gateway and worker processes (the OTLP exporter of the Node SDK, configured by the
 * standard variables) to a collector inside the test.
 */
describe('OpenTelemetry traces (e2e: a gateway and a worker exporting OTLP to the test)', () => {
  let fake: FakeProviderServer;
  let receiver: OtlpReceiver;
  let gateway: GatewayProcess;
  let worker: GatewayProcess;
  let queue: Queue;
  const prefix = `e2e-otel-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    fake = await startFakeProvider({ port: 0 });
    receiver = await OtlpReceiver.start();
    const config = {
      logging: { level: 'warn' },
      providers: {
        primary: {
          kind: 'openai',
          baseUrl: `${fake.url}/openai/v1`,
          apiKeys: ['sk-primary-test'],
          models: ['gpt-4o-mini'],
          maxRetries: 0,
        },
        backup: {
          kind: 'openai-compatible',
          baseUrl: `${fake.url}/v1`,
          models: ['b-model'],
          // A budget: each attempt's reservation is a decision on the request span.
          budget: { dailyUsd: 100 },
        },
        // A provider that refuses unknown headers: no trace context is sent to it.
        quiet: {
          kind: 'openai-compatible',
          baseUrl: `${fake.url}/v1`,
          models: ['q-model'],
          propagateTrace: false,
        },
      },
      routes: {
        main: { targets: ['primary/gpt-4o-mini', 'backup/b-model'] },
        hedged: {
          targets: ['primary/gpt-4o-mini', 'backup/b-model'],
          hedge: { enabled: true, delayMs: 50 },
        },
        resume: { targets: ['backup/b-model'] },
      },
      cache: { backend: 'memory' },
      // A limit: its decision is an event of the request span.
      rateLimits: { global: { requestsPerMinute: 100_000 } },
      redis: { url: 'redis://127.0.0.1:6379', keyPrefix: `${prefix}:` },
      tasks: { queue: { prefix, attempts: 1 } },
    };
    const env = otelEnv(receiver, 'http/json');
    gateway = await GatewayProcess.start({ name: 'gateway', config, env });
    worker = await GatewayProcess.start({
      name: 'worker',
      config,
      env,
      main: WORKER_MAIN,
      portVariable: 'WORKER_PORT',
    });
    queue = new Queue(TaskQueueName.TASKS, { connection: REDIS, prefix });
  }, 90_000);

  afterEach(() => fake.reset());
  afterAll(async () => {
    await Promise.all([gateway?.stop(), worker?.stop()]);
    await queue?.obliterate({ force: true }).catch(() => undefined);
    await queue?.close();
    // The run's budget, breaker, tenant and webhook-queue keys.
    await (await TestRedis.open(`${prefix}:`)).close();
    await Promise.all([fake?.close(), receiver?.close()]);
  });

  /** The server span of a request, found by the request id the gateway answered with. */
  function serverSpanOf(requestId: string): Promise<ReceivedSpan> {
    return receiver.waitFor(
      () =>
        receiver.spans.find(
          (s) => s.kind === SERVER && s.attributes['gateway.request_id'] === requestId,
        ),
      `server span of ${requestId}`,
    );
  }

  it('one request that falls back once is one trace: the request span, a cache span, two attempt spans; the upstream got its traceparent', async () => {
    fake.enqueue({ status: 503, errorMessage: 'overloaded' }, 1, { model: 'gpt-4o-mini' });
    fake.enqueue({ text: 'fell back fine', usage: { prompt: 21, completion: 4 } }, 1, {
      model: 'b-model',
    });
    const prompt = `a prompt that never reaches a span ${randomUUID()}`;
    const { data, response } = await gateway.client.chat.completions
      // Deterministic (temperature 0): the cache is looked up, and misses.
      .create({ model: 'main', temperature: 0, messages: [{ role: 'user', content: prompt }] })
      .withResponse();
    expect(data.choices[0].message.content).toBe('fell back fine');
    const requestId = response.headers.get('x-request-id')!;

    const server = await serverSpanOf(requestId);
    // Children end before their parent: once the attempts are in, the trace is whole.
    const trace = await receiver.waitFor(() => {
      const spans = receiver.trace(server.traceId);
      return spans.filter((s) => s.kind === CLIENT).length >= 2 ? spans : undefined;
    }, 'attempt spans');
    expect(server).toMatchObject({
      service: 'ai-gateway',
      name: 'POST /v1/chat/completions',
      parentSpanId: '',
      attributes: expect.objectContaining({
        'http.request.method': 'POST',
        'http.route': '/v1/chat/completions',
        'http.response.status_code': 200,
        'gen_ai.operation.name': 'chat',
        'gen_ai.request.model': 'main',
        'gen_ai.provider.name': 'backup',
        'gen_ai.response.model': 'b-model',
        'gen_ai.usage.input_tokens': 21,
        'gen_ai.usage.output_tokens': 4,
        'gateway.route': 'main',
        'gateway.attempts': 2,
      }),
    });
    // The admission decisions and the fallback, as events of the request span.
    const events = Object.fromEntries(server.events.map((e) => [e.name, e.attributes]));
    expect(events['gateway.rate_limit']).toMatchObject({
      'gateway.rate_limit.decision': 'admitted',
    });
    expect(events['gateway.budget']).toMatchObject({
      'gateway.budget.decision': 'reserved',
      'gateway.budget.provider': 'backup',
    });
    expect(events['gateway.fallback']).toMatchObject({
      'gateway.fallback.from': 'primary/gpt-4o-mini',
      'gateway.fallback.to': 'backup/b-model',
    });

    const cache = trace.find((s) => s.name === 'gateway.cache.lookup');
    expect(cache).toMatchObject({
      parentSpanId: server.spanId,
      attributes: expect.objectContaining({ 'gateway.cache.status': 'miss' }),
    });

    const attempts = trace.filter((s) => s.kind === CLIENT);
    expect(attempts.map((s) => s.name).sort()).toEqual(['chat b-model', 'chat gpt-4o-mini']);
    const failed = attempts.find((s) => s.name === 'chat gpt-4o-mini')!;
    const served = attempts.find((s) => s.name === 'chat b-model')!;
    for (const attempt of attempts) expect(attempt.parentSpanId).toBe(server.spanId);
    expect(failed).toMatchObject({
      status: ERROR,
      attributes: expect.objectContaining({
        'gen_ai.operation.name': 'chat',
        'gen_ai.provider.name': 'openai',
        'gen_ai.request.model': 'gpt-4o-mini',
        'error.type': expect.any(String),
        'gateway.attempt.outcome': expect.any(String),
        'server.address': '127.0.0.1',
      }),
    });
    expect(failed.attributes['gen_ai.usage.input_tokens']).toBeUndefined();
    expect(served).toMatchObject({
      attributes: expect.objectContaining({
        'gen_ai.provider.name': 'backup',
        'gen_ai.request.model': 'b-model',
        'gen_ai.response.model': 'b-model',
        'gen_ai.usage.input_tokens': 21,
        'gen_ai.usage.output_tokens': 4,
        'gateway.attempt.outcome': 'ok',
      }),
    });
    expect(served.attributes['error.type']).toBeUndefined();

    // Each attempt went upstream with its own span as the parent, in this trace.
    const sent = (model: string) =>
      fake.requests.find((r) => r.model === model)?.headers.traceparent;
    expect(sent('gpt-4o-mini')).toBe(`00-${server.traceId}-${failed.spanId}-01`);
    expect(sent('b-model')).toBe(`00-${server.traceId}-${served.spanId}-01`);

    // logging.logPrompts is off: no prompt text anywhere in the trace.
    expect(allValues(trace)).not.toContain('never reaches a span');
  });

  it('a hedged request: the hedge is an event, the second attempt is marked hedged', async () => {
    // The primary is slow: the hedge fires after 50 ms and the backup answers first.
    fake.enqueue({ text: 'slow', latencyMs: 3_000 }, 1, { model: 'gpt-4o-mini' });
    const { data, response } = await gateway.client.chat.completions
      .create({ model: 'hedged', messages: [{ role: 'user', content: 'race' }] })
      .withResponse();
    expect(data.model).toBe('b-model');
    const server = await serverSpanOf(response.headers.get('x-request-id')!);
    const attempts = await receiver.waitFor(() => {
      const found = receiver.trace(server.traceId).filter((s) => s.kind === CLIENT);
      return found.length >= 2 ? found : undefined;
    }, 'both attempt spans');
    expect(server.events.find((e) => e.name === 'gateway.hedge')?.attributes).toMatchObject({
      'gateway.hedge.primary': 'primary/gpt-4o-mini',
      'gateway.hedge.secondary': 'backup/b-model',
      'gateway.hedge.delay_ms': 50,
    });
    const hedged = attempts.find((s) => s.name === 'chat b-model')!;
    const primary = attempts.find((s) => s.name === 'chat gpt-4o-mini')!;
    expect(hedged.attributes).toMatchObject({
      'gateway.attempt.hedged': true,
      'gateway.attempt.outcome': 'ok',
    });
    // The loser was cancelled when the hedge won.
    expect(primary.attributes['gateway.attempt.outcome']).not.toBe('ok');
  });

  it("continues the caller's trace from its traceparent", async () => {
    const callerTrace = randomBytes(16).toString('hex');
    const callerSpan = randomBytes(8).toString('hex');
    const { response } = await gateway.client.chat.completions
      .create(
        { model: 'backup/b-model', messages: [{ role: 'user', content: 'hello' }] },
        { headers: { traceparent: `00-${callerTrace}-${callerSpan}-01` } },
      )
      .withResponse();
    const server = await serverSpanOf(response.headers.get('x-request-id')!);
    expect(server.traceId).toBe(callerTrace);
    expect(server.parentSpanId).toBe(callerSpan);
    expect(fake.requests[0].headers.traceparent).toMatch(new RegExp(`^00-${callerTrace}-`));
  });

  it('ignores a malformed or invalid caller trace context: a new trace starts', async () => {
    const tooLong = Array.from({ length: 40 }, (_, i) => `k${i}=${'v'.repeat(200)}`).join(',');
    for (const headers of [
      { traceparent: 'garbage' },
      { traceparent: `00-${'0'.repeat(32)}-${'1'.repeat(16)}-01` },
      { traceparent: `ff-${'a'.repeat(32)}-${'b'.repeat(16)}-01`, tracestate: tooLong },
    ]) {
      const { data, response } = await gateway.client.chat.completions
        .create(
          { model: 'backup/b-model', messages: [{ role: 'user', content: 'hi' }] },
          { headers },
        )
        .withResponse();
      expect(data.choices).toHaveLength(1);
      const server = await serverSpanOf(response.headers.get('x-request-id')!);
      expect([headers.traceparent, server.parentSpanId]).toEqual([headers.traceparent, '']);
      expect(server.traceId).toMatch(/^[0-9a-f]{32}$/);
      expect(server.traceId).not.toMatch(/^0+$|^a+$/);
    }
  });

  it('sends no trace context to a provider with propagateTrace off, and still traces its attempt', async () => {
    const { response } = await gateway.client.chat.completions
      .create({ model: 'quiet/q-model', messages: [{ role: 'user', content: 'hello' }] })
      .withResponse();
    const server = await serverSpanOf(response.headers.get('x-request-id')!);
    const attempt = await receiver.waitFor(
      () => receiver.trace(server.traceId).find((s) => s.kind === CLIENT),
      'attempt span',
    );
    expect(attempt.name).toBe('chat q-model');
    expect(fake.requests).toHaveLength(1);
    expect(fake.requests[0].headers.traceparent).toBeUndefined();
    expect(fake.requests[0].headers.tracestate).toBeUndefined();
  });

  it("links a task's worker span to the request that enqueued it, across the BullMQ queue", async () => {
    fake.enqueue({ text: PARSE_ANSWER }, 1, { model: 'b-model' });
    const { data: job, response } = await gateway.client
      .post<{ id: string }>('/tasks', {
        body: { type: 'parse', input: { resumeText: SAMPLE_RESUME_TEXT }, async: true },
      })
      .withResponse();
    const enqueued = await serverSpanOf(response.headers.get('x-request-id')!);
    const processed = await receiver.waitFor(
      () =>
        receiver.spans.find(
          (s) => s.kind === CONSUMER && s.attributes['messaging.message.id'] === job.id,
        ),
      'worker span',
      40_000,
    );
    expect(processed).toMatchObject({
      service: 'ai-gateway-worker',
      name: 'process parse',
      parentSpanId: '',
      links: [{ traceId: enqueued.traceId, spanId: enqueued.spanId }],
      attributes: expect.objectContaining({
        'messaging.system': 'bullmq',
        'messaging.operation.type': 'process',
        'gateway.task.type': 'parse',
      }),
    });
    // The job's model call hangs under the worker span: process → gateway chat → attempt.
    const call = await receiver.waitFor(
      () =>
        receiver
          .trace(processed.traceId)
          .find((s) => s.name === 'gateway chat' && s.parentSpanId === processed.spanId),
      "the job's call span",
    );
    const attempt = await receiver.waitFor(
      () =>
        receiver
          .trace(processed.traceId)
          .find((s) => s.kind === CLIENT && s.parentSpanId === call.spanId),
      "the job's attempt span",
    );
    expect(attempt).toMatchObject({
      kind: CLIENT,
      name: 'chat b-model',
      attributes: expect.objectContaining({ 'gen_ai.provider.name': 'backup' }),
    });
  });

  it('exports the GenAI client metrics: token usage, operation duration, time to first chunk', async () => {
    const stream = await gateway.client.chat.completions.create({
      model: 'backup/b-model',
      messages: [{ role: 'user', content: 'stream me a few words please' }],
      stream: true,
    });
    for await (const chunk of stream) void chunk;
    const named = (name: string) =>
      receiver.waitFor(
        () =>
          receiver.metrics.find(
            (m) => m.name === name && m.service === 'ai-gateway' && m.points.length > 0,
          ),
        `metric ${name}`,
      );
    const tokens = await named('gen_ai.client.token.usage');
    expect(tokens.unit).toBe('{token}');
    expect(tokens.points.map((p) => p.attributes['gen_ai.token.type']).sort()).toEqual(
      expect.arrayContaining(['input', 'output']),
    );
    expect(tokens.points[0].attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': expect.any(String),
      'gen_ai.request.model': expect.any(String),
    });
    expect((await named('gen_ai.client.operation.duration')).unit).toBe('s');
    const firstChunk = await named('gen_ai.client.operation.time_to_first_chunk');
    expect(firstChunk.points[0].attributes).toMatchObject({ 'gen_ai.request.model': 'b-model' });
  });
});

describe('OpenTelemetry over http/protobuf (e2e)', () => {
  it('exports the same spans with OTEL_EXPORTER_OTLP_PROTOCOL=http/protobuf', async () => {
    const fake = await startFakeProvider({ port: 0 });
    const receiver = await OtlpReceiver.start();
    const gateway = await GatewayProcess.start({
      name: 'gateway-protobuf',
      config: {
        logging: { level: 'warn' },
        providers: {
          backup: { kind: 'openai-compatible', baseUrl: `${fake.url}/v1`, models: ['b-model'] },
        },
      },
      env: { ...otelEnv(receiver, 'http/protobuf'), OTEL_SERVICE_NAME: 'gateway-by-env' },
    });
    try {
      const { response } = await gateway.client.chat.completions
        .create({ model: 'backup/b-model', messages: [{ role: 'user', content: 'hi' }] })
        .withResponse();
      const requestId = response.headers.get('x-request-id');
      const server = await receiver.waitFor(
        () => receiver.spans.find((s) => s.attributes['gateway.request_id'] === requestId),
        'server span',
      );
      expect(server).toMatchObject({
        service: 'gateway-by-env',
        name: 'POST /v1/chat/completions',
        kind: SERVER,
      });
      const attempt = await receiver.waitFor(
        () => receiver.trace(server.traceId).find((s) => s.kind === CLIENT),
        'attempt span',
      );
      expect(attempt).toMatchObject({
        parentSpanId: server.spanId,
        attributes: expect.objectContaining({ 'gen_ai.usage.output_tokens': expect.any(Number) }),
      });
      expect(receiver.contentTypes.find((c) => c.path === '/v1/traces')?.contentType).toBe(
        'application/x-protobuf',
      );
    } finally {
      await gateway.stop();
      await Promise.all([fake.close(), receiver.close()]);
    }
  }, 60_000);
});
