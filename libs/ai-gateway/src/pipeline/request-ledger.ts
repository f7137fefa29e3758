import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { CacheLookup } from '../cache/response-cache.service';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { RateLimitTicket } from '../rate-limit/rate-limiter.types';
import type { Clock } from '../resilience/clock';
import { CLOCK } from '../resilience/clock';
import type { RouteTarget } from '../routing/model-resolver.service';
import type { RoutePlan } from '../routing/route-planner.service';
import { usageRowFromMeta } from '../usage/usage-row.mapper';
import { UsageWriter } from '../usage/usage-writer.service';
import type { BudgetHold } from './budget-gate';
import { BudgetGate } from './budget-gate';
import type { CallOptions, ResponseMeta } from './call-result';
import { isCacheHit } from './call-result';
import { RateLimitGate } from './rate-limit-gate';
import { RequestDeadline } from './request-deadline';
import { recordUsage } from './usage';

/**
 * The bookkeeping of every request the pipeline runs: its meta and deadline when it
 * begins, who served it and what it cost, and its one ending — metrics, the rate-limit
 * settle, the budget settle and exactly one usage row, failures and refusals included.
 * `ChatPipeline` keeps the control flow; this keeps the books.
 */
@Injectable()
export class RequestLedger {
  private readonly logger = new Logger(RequestLedger.name);
  /** What the usage row needs beyond `meta`, kept per request without widening `meta`. */
  private readonly contexts = new WeakMap<
    ResponseMeta,
    { options: CallOptions; startedAt: number; limit?: RateLimitTicket }
  >();

  constructor(
    private readonly config: GatewayConfigService,
    private readonly metrics: GatewayMetrics,
    private readonly gate: BudgetGate,
    private readonly limits: RateLimitGate,
    private readonly usage: UsageWriter,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** Records the usage row of a request refused before routing and returns its error. */
  refused(request: unknown, options: CallOptions, error: unknown, operation: string): GatewayError {
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
      }),
      route: typeof model === 'string' ? model : null,
    });
    return failure;
  }

  /** Prices the served call and settles its budget hold with the actual cost. */
  charge(meta: ResponseMeta, target: RouteTarget, hold: BudgetHold | undefined): void {
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

  begin(
    plan: RoutePlan,
    options: CallOptions,
    limit?: { ticket?: RateLimitTicket; headers?: Readonly<Record<string, string>> },
  ): { meta: ResponseMeta; deadline: RequestDeadline; started: number } {
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
    this.contexts.set(meta, { options, startedAt: Date.now(), limit: limit?.ticket });
    return {
      started: this.clock.now(),
      deadline: new RequestDeadline(totalMs, options, () => this.clock.now()),
      meta,
    };
  }

  /** A request answered from the cache: no provider call, no cost, the saving recorded. */
  fromCache(meta: ResponseMeta, lookup: CacheLookup, operation: string, started: number): void {
    const entry = lookup.hit!;
    meta.provider = entry.provider;
    meta.model = entry.model;
    meta.fake = entry.fake ?? false;
    meta.costMicroUsd = 0;
    meta.costUsd = 0;
    meta.priced = true;
    meta.priceSource = 'cache';
    meta.completed = true;
    this.finish(meta, 'ok', operation, started);
  }

  served(meta: ResponseMeta, provider: string, model: string): void {
    meta.provider = provider;
    meta.model = model;
    meta.fake = this.config.current.providers[provider]?.fake ?? false;
  }

  finish(meta: ResponseMeta, outcome: string, operation: string, started: number): void {
    meta.latencyMs = this.clock.now() - started;
    const cache = meta.cache;
    const hit = isCacheHit(cache);
    // A cache hit is no model call: the cache's own metrics count it.
    if (!hit) {
      this.metrics.recordCall(meta.provider, meta.model, operation, outcome, meta.latencyMs / 1000);
    }
    recordUsage(this.metrics, { provider: meta.provider, model: meta.model }, meta.usage);
    const context = this.contexts.get(meta);
    // Rate limits: the tokens actually used replace the estimate; concurrency slots free.
    this.limits.settle(context?.limit, meta.usage ? meta.usage.prompt + meta.usage.completion : 0);
    // One row per request, failures included; never blocks (batched, buffered on outage).
    this.usage.record(
      usageRowFromMeta(meta, {
        createdAt: context?.startedAt ?? Date.now(),
        clientRequestId: context?.options.clientRequestId,
        status: outcome,
        stream: operation === 'chat_stream',
        keyId: context?.options.caller?.keyId,
        userId: context?.options.caller?.userId,
        teamId: context?.options.caller?.teamId,
        task: context?.options.task ?? (operation === 'embeddings' ? 'embeddings' : undefined),
        costMicroUsd: meta.costMicroUsd,
        cacheStatus: cache?.status,
        costSavedMicroUsd: hit ? cache?.savedMicroUsd : undefined,
        priced: meta.priced,
        priceSource: meta.priceSource,
        budgetNote: meta.attempts.some((a) => a.outcome === 'skipped:budget_cap')
          ? 'a provider over its budget cap was skipped'
          : undefined,
      }),
    );
  }

  /**
   * The one exit for a failure after admission: with a meta the request ends as usual
   * (usage row, limits settled); without one (it failed before it began) the admission
   * is settled here and the refusal logged, so no lease or hold outlives the request.
   */
  failAdmitted(
    admitted: { body: unknown; options: CallOptions; limit?: { ticket?: RateLimitTicket } },
    meta: ResponseMeta | undefined,
    error: unknown,
    operation: 'chat' | 'chat_stream',
    started: number,
  ): unknown {
    if (meta) return this.fail(meta, error, operation, started);
    this.limits.settle(admitted.limit?.ticket, 0);
    return this.refused(admitted.body, admitted.options, error, operation);
  }

  fail(meta: ResponseMeta, error: unknown, operation: string, started: number): GatewayError {
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
    this.finish(meta, gatewayError.code, operation, started);
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
