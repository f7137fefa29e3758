import { Injectable } from '@nestjs/common';
import type { Attributes, Span } from '@opentelemetry/api';
import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  propagation,
  trace,
} from '@opentelemetry/api';
import { GatewayConfigService } from '../../config/gateway-config.service';
import type { RequestScope } from '../request-context';
import { requestContext } from '../request-context';
import type { GenAiCall } from './gen-ai-metrics';
import { GenAiMetrics } from './gen-ai-metrics';
import { Gateway, GenAi, genAiOperation, genAiProviderName, serverOf } from './gen-ai.attributes';

const tracer = trace.getTracer('@ai-gateway/core');

/**
 * An event on the running request's span: a rate-limit or budget decision, a hedge, a
 * fallback. Its attributes are built only while the request is traced.
 */
export function traceEvent(name: string, attributes: () => Attributes): void {
  requestContext.getStore()?.span?.addEvent(name, attributes());
}

/** How a request ended, as its span and the GenAI metrics record it. */
export interface RequestEnd {
  operation: string;
  outcome: string;
  /** Who served it (the first candidate when nothing did). */
  provider: string;
  model: string;
  route?: string;
  latencyMs: number;
  usage?: { prompt: number; completion: number };
  costUsd?: number;
  cache?: { status: string; reason?: string; similarity?: number };
  attempts: number;
  /** The middleware's decisions (`pii_scrubber=masked:2, …`). */
  guardrails?: string;
  /** `logging.logPrompts` only: the last user message, for the span. */
  prompt?: string;
}

/** One upstream attempt as its span starts. */
export interface AttemptStart {
  operation: string;
  provider: string;
  model: string;
  retry: number;
  hedged?: boolean;
  keyId?: string;
}

/**
 * The request's trace through `@opentelemetry/api` (a no-op until an SDK is registered):
 * the request span (the HTTP app's server span, or the library's own for an in-process
 * call), its children — the cache lookup and each upstream attempt, named and attributed
 * per the GenAI conventions — and the admission decisions as events. Nothing is built while
 * the request's span does not record. Prompt and answer text go into spans only with
 * `logging.logPrompts`.
 */
@Injectable()
export class RequestTracing {
  constructor(
    private readonly config: GatewayConfigService,
    readonly metrics: GenAiMetrics,
  ) {}

  /**
   * Runs `fn` in its request's scope: the HTTP app's when one is open (its first call
   * only), else a scope of its own — with a span of its own while tracing records —
   * parented on the enclosing request (a call made inside another: the semantic cache's
   * embedding), a task job's span, or the host's active span.
   */
  within<T>(operation: string, model: unknown, requestId: string, fn: () => T): T {
    const outer = requestContext.getStore();
    if (outer?.http && !outer.claimed) {
      outer.claimed = true;
      return fn();
    }
    const parent = outer?.span ? trace.setSpan(context.active(), outer.span) : context.active();
    const span = tracer.startSpan(
      `gateway ${genAiOperation(operation)}`,
      {
        kind: SpanKind.INTERNAL,
        attributes: {
          [GenAi.OPERATION]: genAiOperation(operation),
          ...(typeof model === 'string' ? { [GenAi.REQUEST_MODEL]: model } : {}),
          [Gateway.REQUEST_ID]: requestId,
        },
      },
      parent,
    );
    const scope: RequestScope = span.isRecording()
      ? { requestId, span, ownsSpan: true }
      : { requestId };
    return requestContext.run(scope, fn);
  }

  /** The scope of the code running now (kept by a request whose end comes later). */
  scope(): RequestScope | undefined {
    return requestContext.getStore();
  }

  /** True while the running request's span records: worth timing a step for a span. */
  get traced(): boolean {
    return requestContext.getStore()?.span?.isRecording() === true;
  }

  /**
   * A finished step as a span under the request's span: it began at `startTime` (ms since
   * the epoch, `performance.timeOrigin + performance.now()`) and ends now. Made after the
   * fact, so a step that turns out not to matter (a cache lookup skipped by policy) costs
   * no span at all.
   */
  step(name: string, startTime: number, attributes: Attributes): void {
    const parent = requestContext.getStore()?.span;
    if (!parent) return;
    tracer
      .startSpan(
        name,
        { kind: SpanKind.INTERNAL, attributes, startTime },
        trace.setSpan(ROOT_CONTEXT, parent),
      )
      .end();
  }

  /** The span of one upstream attempt (`chat gpt-4o`, kind client), while the request records. */
  attempt(start: AttemptStart): Span | undefined {
    const parent = requestContext.getStore()?.span;
    if (!parent) return undefined;
    const provider = this.config.current.providers[start.provider];
    const operation = genAiOperation(start.operation);
    const name = genAiProviderName(provider?.kind, start.provider);
    const attributes: Attributes = {
      [GenAi.OPERATION]: operation,
      [GenAi.PROVIDER]: name,
      [GenAi.REQUEST_MODEL]: start.model,
    };
    // Only what is not already said: each attribute is written into every exported span.
    if (name !== start.provider) attributes[Gateway.PROVIDER] = start.provider;
    if (start.retry > 0) attributes[Gateway.RETRY] = start.retry;
    if (start.hedged) attributes[Gateway.HEDGED] = true;
    if (start.keyId) attributes[Gateway.KEY_ID] = start.keyId;
    const server = serverOf(provider?.baseUrl);
    if (server) {
      attributes[GenAi.SERVER_ADDRESS] = server.address;
      attributes[GenAi.SERVER_PORT] = server.port;
    }
    return tracer.startSpan(
      `${operation} ${start.model}`,
      { kind: SpanKind.CLIENT, attributes },
      trace.setSpan(ROOT_CONTEXT, parent),
    );
  }

  /**
   * The W3C headers (`traceparent`, `tracestate`) that continue `span` at the provider, or
   * undefined when the provider has propagation off (or no propagator is registered).
   */
  headersFor(span: Span, provider: string): Record<string, string> | undefined {
    if (this.config.current.providers[provider]?.propagateTrace === false) return undefined;
    const carrier: Record<string, string> = {};
    propagation.inject(trace.setSpan(ROOT_CONTEXT, span), carrier);
    return carrier.traceparent ? carrier : undefined;
  }

  /** Closes an attempt's span: its outcome, and the tokens of the answer it served. */
  endAttempt(
    span: Span,
    outcome: string,
    served?: { usage?: { prompt: number; completion: number } },
  ): void {
    span.setAttribute(Gateway.OUTCOME, outcome);
    if (outcome !== 'ok') {
      span.setAttribute(GenAi.ERROR_TYPE, outcome);
      span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
    } else if (served?.usage) {
      span.setAttribute(GenAi.INPUT_TOKENS, served.usage.prompt);
      span.setAttribute(GenAi.OUTPUT_TOKENS, served.usage.completion);
    }
    span.end();
  }

  /** Whether a request's end is worth describing: its span records, or the GenAI metrics are on. */
  wanted(scope: RequestScope | undefined): boolean {
    return scope?.span?.isRecording() === true || this.metrics.enabled;
  }

  /**
   * The request's end on its span (served by whom, tokens, cost, cache, outcome), the
   * GenAI metrics of a model call, and the span closed when the library opened it.
   */
  finish(scope: RequestScope | undefined, end: RequestEnd): void {
    const cacheHit = end.cache?.status === 'hit' || end.cache?.status === 'semantic-hit';
    if (this.metrics.enabled && !cacheHit && end.outcome !== 'skipped') {
      this.metrics.recordCall(
        this.callOf(end, end.outcome === 'ok' ? undefined : end.outcome),
        end.latencyMs / 1000,
        end.usage,
      );
    }
    // A request sampled out still has its (non-recording) span, for the trace id in its logs.
    if (!scope?.span?.isRecording()) return;
    const span = scope.span;
    const provider = this.config.current.providers[end.provider];
    const name = genAiProviderName(provider?.kind, end.provider);
    const attributes: Attributes = {
      [GenAi.OPERATION]: genAiOperation(end.operation),
      [GenAi.REQUEST_MODEL]: end.route ?? end.model,
      [GenAi.PROVIDER]: name,
      [Gateway.ATTEMPTS]: end.attempts,
    };
    if (name !== end.provider) attributes[Gateway.PROVIDER] = end.provider;
    if (end.route) attributes[Gateway.ROUTE] = end.route;
    if (end.outcome === 'ok') attributes[GenAi.RESPONSE_MODEL] = end.model;
    if (end.usage) {
      attributes[GenAi.INPUT_TOKENS] = end.usage.prompt;
      attributes[GenAi.OUTPUT_TOKENS] = end.usage.completion;
    }
    if (end.costUsd !== undefined) attributes[Gateway.COST_USD] = end.costUsd;
    if (end.guardrails) attributes[Gateway.GUARDRAILS] = end.guardrails;
    if (end.cache) {
      attributes[Gateway.CACHE_STATUS] = end.cache.status;
      if (end.cache.reason) attributes[Gateway.CACHE_REASON] = end.cache.reason;
    }
    // Prompt text only where the operator allows it in the logs too (the ledger keeps it then).
    if (end.prompt !== undefined && this.config.current.logging.logPrompts) {
      attributes[GenAi.INPUT_MESSAGES] = JSON.stringify([
        { role: 'user', parts: [{ type: 'text', content: end.prompt }] },
      ]);
    }
    span.setAttributes(attributes);
    this.close(scope, end.outcome);
  }

  /** A request refused before it began (validation, limits, budgets): its span says why. */
  refused(scope: RequestScope | undefined, code: string): void {
    if (!scope?.span?.isRecording()) return;
    this.close(scope, code);
  }

  /** A stream's first chunk, for the GenAI time-to-first-chunk metric. */
  firstChunk(end: Pick<RequestEnd, 'operation' | 'provider' | 'model'>, seconds: number): void {
    if (!this.metrics.enabled) return;
    this.metrics.recordFirstChunk(this.callOf({ ...end, route: undefined }), seconds);
  }

  private close(scope: RequestScope, outcome: string): void {
    const span = scope.span!;
    if (outcome !== 'ok') {
      span.setAttribute(GenAi.ERROR_TYPE, outcome);
      // The HTTP app sets the server span's status from the response it sends.
      if (scope.ownsSpan) span.setStatus({ code: SpanStatusCode.ERROR, message: outcome });
    }
    if (scope.ownsSpan) span.end();
  }

  private callOf(
    end: Pick<RequestEnd, 'operation' | 'provider' | 'model' | 'route'>,
    errorType?: string,
  ): GenAiCall {
    const provider = this.config.current.providers[end.provider];
    return {
      operation: genAiOperation(end.operation),
      provider: genAiProviderName(provider?.kind, end.provider),
      requestModel: end.route ?? end.model,
      responseModel: errorType ? undefined : end.model,
      server: serverOf(provider?.baseUrl),
      errorType,
    };
  }
}
