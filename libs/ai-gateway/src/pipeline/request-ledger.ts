import { Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CacheLookup } from '../cache/response-cache.service';
import { plainText } from '../cache/cache-key';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { RequestScope } from '../observability/request-context';
import { RequestTracing } from '../observability/tracing/request-tracing';
import type { RateLimitTicket } from '../rate-limit/rate-limiter.types';
import type { Clock } from '../shared/clock';
import { InjectClock } from '../shared/clock';
import type { RouteTarget } from '../routing/model-resolver.service';
import type { RoutePlan } from '../routing/route-planner.service';
import { usageRowFromMeta } from '../usage/usage-row.mapper';
import { UsageWriter } from '../usage/usage-writer.service';
import type { BudgetHold } from './admission/budget-gate';
import { BudgetGate } from './admission/budget-gate';
import type { CallOptions, ResponseMeta } from '../shared/call-result';
import { isCacheHit } from '../shared/call-result';
import { RateLimitGate } from './admission/rate-limit-gate';
import type { Operation } from './execution/execution.types';
import { RequestDeadline } from './execution/request-deadline';
import { recordUsage } from './usage';

/**
 * One request on the books, from `begin` to its one ending: what the caller sees (`meta`),
 * its deadline, and what its usage row and settles need beyond `meta`.
 */
export interface OpenRequest {
  readonly meta: ResponseMeta;
  readonly deadline: RequestDeadline;
  readonly operation: Operation;
  readonly options: CallOptions;
  /** Clock time it began: its latency is measured from here. */
  readonly started: number;
  /** Wall time it began: the usage row's `created_at`. */
  readonly startedAt: number;
  /** Its rate-limit hold, settled with the tokens actually used. */
  readonly limit?: RateLimitTicket;
  /** Answered as a stream (set by a passthrough once it sees an event stream come back). */
  stream: boolean;
  /** `logging.logPrompts` only: the last user message, for the usage row. */
  prompt?: string;
  /** The request's scope (its id, its span), kept for an end that comes later (a stream's). */
  readonly scope?: RequestScope;
}

/**
 * The bookkeeping of every request the pipelines run: its meta and deadline when it
 * begins, who served it and what it cost, and its one ending — metrics, the rate-limit
 * settle, the budget settle and exactly one usage row, failures and refusals included.
 * The pipelines keep the control flow; this keeps the books.
 */
@Injectable()
export class RequestLedger {
  private readonly logger = new Logger(RequestLedger.name);

  constructor(
    private readonly config: GatewayConfigService,
    private readonly metrics: GatewayMetrics,
    private readonly gate: BudgetGate,
    private readonly limits: RateLimitGate,
    private readonly usage: UsageWriter,
    private readonly tracing: RequestTracing,
    @InjectClock() private readonly clock: Clock,
  ) {}

  /** Records the usage row of a request refused before routing and returns its error. */
  refused(
    request: unknown,
    options: CallOptions,
    error: unknown,
    operation: Operation,
  ): GatewayError {
    // A failure that is no caller's refusal is still a request: it gets its row too.
    const failure =
      error instanceof GatewayError
        ? error
        : new GatewayError(GatewayErrorCode.INTERNAL, 'Unexpected failure before routing', {
            cause: error,
          });
    if (failure !== error) {
      this.logger.error({
        msg: 'request failed unexpectedly',
        requestId: options.requestId,
        error: String(error),
      });
    }
    this.tracing.refused(this.tracing.scope(), failure.code);
    const model = (request as { model?: unknown } | null)?.model;
    const caller = options.caller;
    this.usage.record({
      ...usageRowFromMeta(undefined, {
        requestId: options.requestId ?? randomUUID(),
        clientRequestId: options.clientRequestId,
        createdAt: Date.now(),
        status: failure.code,
        stream: operation === 'chat_stream',
        keyId: caller?.keyId,
        userId: caller?.userId,
        teamId: caller?.teamId,
        task: options.task ?? (operation === 'embeddings' ? 'embeddings' : undefined),
        ingress: options.ingress,
      }),
      route: typeof model === 'string' ? model : null,
    });
    return failure;
  }

  /** Prices the served call and settles its budget hold with the actual cost. */
  charge({ meta }: OpenRequest, target: RouteTarget, hold: BudgetHold | undefined): void {
    const cost = this.gate.costOf(target, meta.usage);
    meta.priced = cost !== undefined;
    if (cost) {
      meta.costMicroUsd = cost.microUsd;
      meta.costUsd = cost.microUsd / 1_000_000;
      meta.priceSource = cost.source;
    }
    // An interrupted stream may lack usage: the reservation (worst case) is charged then.
    this.gate.settle(hold, meta.usage ? cost?.microUsd : undefined);
  }

  /** Opens the books of an admitted request: its meta (first candidate until served) and deadline. */
  begin(
    plan: RoutePlan,
    options: CallOptions,
    operation: Operation,
    limit?: { ticket?: RateLimitTicket; headers?: Readonly<Record<string, string>> },
  ): OpenRequest {
    const first = plan.candidates[0];
    const provider = this.config.current.providers[first.provider];
    const totalMs = Math.min(options.timeouts?.totalMs ?? plan.deadlineMs, plan.deadlineMs * 10);
    const meta: ResponseMeta = {
      requestId: options.requestId ?? randomUUID(),
      provider: first.provider,
      model: first.model,
      route: plan.route,
      fake: provider?.fake ?? false,
      attempts: [],
      latencyMs: 0,
    };
    if (limit?.headers) meta.rateLimitHeaders = limit.headers;
    const startedAt = Date.now();
    return {
      meta,
      operation,
      options,
      startedAt,
      limit: limit?.ticket,
      started: this.clock.now(),
      stream: operation === 'chat_stream',
      deadline: new RequestDeadline(totalMs, options, () => this.clock.now()),
      scope: this.tracing.scope(),
    };
  }

  /**
   * Keeps the request's last user message for its usage row — only while the operator has
   * `logging.logPrompts` on; otherwise nothing of the prompt is read or kept.
   */
  notePrompt(request: OpenRequest, body: { messages?: unknown }): void {
    if (!this.config.current.logging.logPrompts) return;
    const prompt = lastUserText(body.messages);
    if (prompt) request.prompt = prompt;
  }

  /** A request answered from the cache: no provider call, no cost, the saving recorded. */
  fromCache(request: OpenRequest, lookup: CacheLookup): void {
    const { meta } = request;
    const entry = lookup.hit!;
    meta.provider = entry.provider;
    meta.model = entry.model;
    meta.fake = entry.fake ?? false;
    meta.costMicroUsd = 0;
    meta.costUsd = 0;
    meta.priced = true;
    meta.priceSource = 'cache';
    meta.completed = true;
    this.finish(request, 'ok');
  }

  /** Who answered: the target that won (after fallbacks, hedging). */
  served({ meta }: OpenRequest, target: RouteTarget): void {
    meta.provider = target.provider;
    meta.model = target.model;
    meta.fake = this.config.current.providers[target.provider]?.fake ?? false;
  }

  /** The one ending: metrics, the rate-limit settle and the usage row. */
  finish(request: OpenRequest, outcome: string): void {
    const { meta, operation, options } = request;
    meta.latencyMs = this.clock.now() - request.started;
    const cache = meta.cache;
    const hit = isCacheHit(cache);
    // A cache hit is no model call: the cache's own metrics count it.
    if (!hit) {
      this.metrics.recordCall(meta.provider, meta.model, operation, outcome, meta.latencyMs / 1000);
    }
    recordUsage(this.metrics, { provider: meta.provider, model: meta.model }, meta.usage);
    // Rate limits: the tokens actually used replace the estimate; concurrency slots free.
    this.limits.settle(request.limit, meta.usage ? meta.usage.prompt + meta.usage.completion : 0);
    // One row per request, failures included; never blocks (batched, buffered on outage).
    this.usage.record(
      usageRowFromMeta(meta, {
        createdAt: request.startedAt,
        clientRequestId: options.clientRequestId,
        status: outcome,
        stream: request.stream,
        keyId: options.caller?.keyId,
        userId: options.caller?.userId,
        teamId: options.caller?.teamId,
        task: options.task ?? (operation === 'embeddings' ? 'embeddings' : undefined),
        ingress: options.ingress,
        costMicroUsd: meta.costMicroUsd,
        cacheStatus: cache?.status,
        costSavedMicroUsd: hit ? cache?.savedMicroUsd : undefined,
        priced: meta.priced,
        priceSource: meta.priceSource,
        budgetNote: meta.attempts.some((a) => a.outcome === 'skipped:budget_cap')
          ? 'a provider over its budget cap was skipped'
          : undefined,
        promptText: request.prompt,
      }),
    );
    // Nothing is built for the trace and the GenAI metrics while neither is on.
    if (!this.tracing.wanted(request.scope)) return;
    this.tracing.finish(request.scope, {
      operation,
      outcome,
      provider: meta.provider,
      model: meta.model,
      route: meta.route,
      latencyMs: meta.latencyMs,
      usage: meta.usage,
      costUsd: meta.costUsd,
      cache,
      attempts: meta.attempts.length,
      guardrails: meta.guardrails,
      prompt: request.prompt,
    });
  }

  /**
   * The one exit for a failure after admission: with a meta the request ends as usual
   * (usage row, limits settled); without one (it failed before it began) the admission
   * is settled here and the refusal logged, so no lease or hold outlives the request.
   */
  failAdmitted(
    admitted: { body: unknown; options: CallOptions; limit?: { ticket?: RateLimitTicket } },
    request: OpenRequest | undefined,
    error: unknown,
    operation: Operation,
  ): unknown {
    if (request) return this.fail(request, error);
    this.limits.settle(admitted.limit?.ticket, 0);
    return this.refused(admitted.body, admitted.options, error, operation);
  }

  /** Ends a request that failed after it began: its usage row says why, its error carries the trace. */
  fail(request: OpenRequest, error: unknown): GatewayError {
    const { meta } = request;
    const gatewayError =
      error instanceof GatewayError
        ? error
        : new GatewayError(
            GatewayErrorCode.INTERNAL,
            `Unexpected failure calling ${meta.provider}`,
            {
              provider: meta.provider,
              cause: error,
            },
          );
    this.finish(request, gatewayError.code);
    gatewayError.trace = meta.attempts;
    if (gatewayError.code === GatewayErrorCode.INTERNAL) {
      this.logger.error({
        msg: 'request failed unexpectedly',
        requestId: meta.requestId,
        error: String(error),
      });
    }
    return gatewayError;
  }
}

/** The last user message when it is text (a string or text parts), else undefined. */
function lastUserText(messages: unknown): string | undefined {
  if (!Array.isArray(messages)) return undefined;
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i] as { role?: unknown; content?: unknown } | null;
    if (message?.role === 'user') return plainText(message.content);
  }
  return undefined;
}
