import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { W3CTraceContextPropagator } from '@opentelemetry/core';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import {
  BasicTracerProvider,
  InMemorySpanExporter,
  SimpleSpanProcessor,
} from '@opentelemetry/sdk-trace-base';
import { GatewayConfigService } from '../../config/gateway-config.service';
import { loadGatewayConfig } from '../../config/gateway-config.loader';
import { requestContext, requestLogFields } from '../request-context';
import { GenAiMetrics } from './gen-ai-metrics';
import { runJobTraced, traceCarrier } from './job-tracing';
import { RequestTracing, traceEvent } from './request-tracing';

const exporter = new InMemorySpanExporter();
const provider = new BasicTracerProvider({ spanProcessors: [new SimpleSpanProcessor(exporter)] });
trace.setGlobalTracerProvider(provider);
propagation.setGlobalPropagator(new W3CTraceContextPropagator());
context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());

function tracingWith(logPrompts = false): RequestTracing {
  const config = loadGatewayConfig({
    env: {},
    config: {
      logging: { logPrompts },
      providers: {
        openai: { kind: 'openai', apiKeys: ['sk-test'], models: ['gpt-4o-mini'] },
        local: {
          kind: 'openai-compatible',
          baseUrl: 'http://10.0.0.7:8000/v1',
          models: ['llama'],
          propagateTrace: false,
        },
      },
    },
  });
  return new RequestTracing(new GatewayConfigService(config), new GenAiMetrics());
}

/** A finished span by name, once the processor has handed it to the exporter. */
async function spanNamed(name: string): Promise<ReadableSpan> {
  await provider.forceFlush();
  const span = exporter.getFinishedSpans().find((s) => s.name === name);
  if (!span) throw new Error(`no span ${name}`);
  return span;
}

describe('RequestTracing', () => {
  afterEach(() => exporter.reset());

  it("an in-process call gets a span of its own, its attempts and events under it, ended at the request's end", async () => {
    const tracing = tracingWith();
    tracing.within('chat', 'gpt-4o-mini', 'req-1', () => {
      expect(requestLogFields()).toMatchObject({ requestId: 'req-1', traceId: expect.any(String) });
      traceEvent('gateway.rate_limit', () => ({ 'gateway.rate_limit.decision': 'admitted' }));
      const attempt = tracing.attempt({
        operation: 'chat',
        provider: 'openai',
        model: 'gpt-4o-mini',
        retry: 0,
      })!;
      const headers = tracing.headersFor(attempt, 'openai')!;
      expect(headers.traceparent).toBe(
        `00-${attempt.spanContext().traceId}-${attempt.spanContext().spanId}-01`,
      );
      tracing.endAttempt(attempt, 'ok', { usage: { prompt: 12, completion: 3 } });
      tracing.finish(tracing.scope(), {
        operation: 'chat',
        outcome: 'ok',
        provider: 'openai',
        model: 'gpt-4o-mini',
        latencyMs: 20,
        usage: { prompt: 12, completion: 3 },
        attempts: 1,
        prompt: 'the secret prompt',
      });
    });
    const request = await spanNamed('gateway chat');
    const attempt = await spanNamed('chat gpt-4o-mini');
    expect(attempt.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(attempt.kind).toBe(SpanKind.CLIENT);
    expect(attempt.attributes).toMatchObject({
      'gen_ai.operation.name': 'chat',
      'gen_ai.provider.name': 'openai',
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.usage.input_tokens': 12,
      'gen_ai.usage.output_tokens': 3,
      'server.address': 'api.openai.com',
      'server.port': 443,
    });
    expect(request.attributes).toMatchObject({
      'gen_ai.request.model': 'gpt-4o-mini',
      'gen_ai.response.model': 'gpt-4o-mini',
      'gateway.request_id': 'req-1',
    });
    // logging.logPrompts is off: the prompt stays out of the span.
    expect(JSON.stringify(request.attributes)).not.toContain('secret prompt');
    expect(request.events.map((e) => e.name)).toEqual(['gateway.rate_limit']);
  });

  it('puts the prompt in the span only with logging.logPrompts', async () => {
    const tracing = tracingWith(true);
    tracing.within('chat', 'gpt-4o-mini', 'req-2', () =>
      tracing.finish(tracing.scope(), {
        operation: 'chat',
        outcome: 'ok',
        provider: 'openai',
        model: 'gpt-4o-mini',
        latencyMs: 1,
        attempts: 1,
        prompt: 'the allowed prompt',
      }),
    );
    expect(String((await spanNamed('gateway chat')).attributes['gen_ai.input.messages'])).toContain(
      'the allowed prompt',
    );
  });

  it("a failed attempt carries error.type and an error status; a refusal ends the request's span", async () => {
    const tracing = tracingWith();
    tracing.within('chat', 'gpt-4o-mini', 'req-3', () => {
      const attempt = tracing.attempt({
        operation: 'chat',
        provider: 'local',
        model: 'llama',
        retry: 1,
        hedged: true,
      })!;
      // propagateTrace: false for this provider.
      expect(tracing.headersFor(attempt, 'local')).toBeUndefined();
      tracing.endAttempt(attempt, 'provider_unavailable');
      tracing.refused(tracing.scope(), 'budget_exceeded');
    });
    const attempt = await spanNamed('chat llama');
    expect(attempt.status.code).toBe(SpanStatusCode.ERROR);
    expect(attempt.attributes).toMatchObject({
      'error.type': 'provider_unavailable',
      'gen_ai.provider.name': 'local',
      'gateway.attempt.hedged': true,
      'gateway.attempt.retry': 1,
      'server.address': '10.0.0.7',
      'server.port': 8000,
    });
    expect((await spanNamed('gateway chat')).attributes['error.type']).toBe('budget_exceeded');
  });

  it("a call inside the HTTP app's scope uses its span; a second call inside opens its own child", async () => {
    const tracing = tracingWith();
    const server = trace.getTracer('test').startSpan('POST /v1/chat/completions');
    requestContext.run({ requestId: 'http-1', span: server, http: true }, () => {
      tracing.within('chat', 'gpt-4o-mini', 'http-1', () => {
        expect(tracing.scope()?.span).toBe(server);
        // The semantic cache's embedding, made inside the chat request.
        tracing.within('embeddings', 'text-embedding-3-small', 'emb-1', () => {
          expect(tracing.scope()?.span).not.toBe(server);
          expect(requestLogFields().requestId).toBe('emb-1');
          tracing.refused(tracing.scope(), 'ok');
        });
      });
    });
    server.end();
    const embedding = await spanNamed('gateway embeddings');
    expect(embedding.parentSpanContext?.spanId).toBe(server.spanContext().spanId);
  });

  it('a job run is a consumer span linked to the request that enqueued it, with its calls under it', async () => {
    const tracing = tracingWith();
    let carrier: Record<string, string> | undefined;
    let enqueuing: string | undefined;
    tracing.within('chat', 'gpt-4o-mini', 'enqueue-1', () => {
      carrier = traceCarrier();
      enqueuing = tracing.scope()!.span!.spanContext().spanId;
      tracing.refused(tracing.scope(), 'ok');
    });
    await runJobTraced(
      {
        requestId: 'job-1_r1',
        jobId: 'job-1',
        type: 'parse',
        attempt: 1,
        system: 'bullmq',
        carrier,
      },
      async () => {
        await Promise.resolve();
        expect(requestLogFields().requestId).toBe('job-1_r1');
        tracing.within('chat', 'gpt-4o-mini', 'job-1_r1', () =>
          tracing.refused(tracing.scope(), 'ok'),
        );
      },
    );
    const job = await spanNamed('process parse');
    expect(job.kind).toBe(SpanKind.CONSUMER);
    expect(job.parentSpanContext).toBeUndefined();
    expect(job.links.map((l) => l.context.spanId)).toEqual([enqueuing]);
    await provider.forceFlush();
    const calls = exporter.getFinishedSpans().filter((s) => s.name === 'gateway chat');
    expect(calls.some((s) => s.parentSpanContext?.spanId === job.spanContext().spanId)).toBe(true);
  });

  it('ignores a malformed stored trace context, and marks a failed run', async () => {
    await expect(
      runJobTraced(
        {
          requestId: 'job-2_r1',
          jobId: 'job-2',
          type: 'score',
          attempt: 2,
          system: 'in-process',
          carrier: { traceparent: 'not-a-traceparent', tracestate: 42 },
        },
        () => Promise.reject(Object.assign(new Error('nope'), { code: 'provider_timeout' })),
      ),
    ).rejects.toThrow('nope');
    const job = await spanNamed('process score');
    expect(job.links).toEqual([]);
    expect(job.status.code).toBe(SpanStatusCode.ERROR);
    expect(job.attributes['error.type']).toBe('provider_timeout');
  });

  it('without a request scope there is nothing to trace or carry', () => {
    expect(traceCarrier()).toBeUndefined();
    expect(requestLogFields()).toEqual({});
    expect(
      tracingWith().attempt({ operation: 'chat', provider: 'openai', model: 'm', retry: 0 }),
    ).toBeUndefined();
  });
});
