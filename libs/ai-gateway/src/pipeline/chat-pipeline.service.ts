import { Inject, Injectable, Logger } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ProviderConfig } from '../config/gateway-config.schema';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { Clock } from '../resilience/clock';
import { CLOCK } from '../resilience/clock';
import { timeoutError } from '../errors/http-status-error.mapper';
import { IdleWatchdog, firstTokenTimeoutError, idleTimeoutError } from '../resilience/stream-guard';
import { ModelResolver } from '../routing/model-resolver.service';
import type { RoutePlan } from '../routing/route-planner.service';
import { RoutePlanner } from '../routing/route-planner.service';
import type { RouteTarget } from '../routing/model-resolver.service';
import type { ChatChunk, ChatRequest, EmbeddingRequest } from '../types/unified';
import type { CallOptions, ChatResult, ChatStream, EmbedResult, ResponseMeta } from './call-result';
import { isCacheHit } from './call-result';
import type { Execution } from './fallback-executor.service';
import { FallbackExecutor } from './fallback-executor.service';
import { usageRowFromMeta } from '../usage/usage-row.mapper';
import { UsageWriter } from '../usage/usage-writer.service';
import type { BudgetHold } from './budget-gate';
import { BudgetGate } from './budget-gate';
import { GatewayChatStream } from './gateway-chat-stream';
import { takeGatewayOptions } from './gateway-options';
import { RequestDeadline } from './request-deadline';
import { validateChatRequest, validateEmbeddingRequest } from './request.validator';
import { recordUsage, usageOf } from './usage';
import { assertModelsAllowed } from '../keys/model-scope';
import type { RateLimitTicket } from '../rate-limit/rate-limiter.types';
import type { RateLimitAdmission } from './rate-limit-gate';
import { RateLimitGate } from './rate-limit-gate';
import { RequestTokens } from './request-tokens';
import { TokenCounter } from '../tokens/token-counter.service';
import type { CacheLookup } from '../cache/response-cache.service';
import { ResponseCache } from '../cache/response-cache.service';
import { ReplayedStream } from '../cache/replayed-stream';
import { StreamAssembler } from '../cache/stream-assembler';

/** A stream that has produced its first chunk: the point of no return for fallback. */
interface StreamStart {
  first: ChatChunk | undefined;
  rest: AsyncIterator<ChatChunk>;
  idleMs: number;
  ttftMs: number;
  attemptTtftMs: number;
}

/**
 * The request path of the library: validate → plan the route → run it with retries,
 * fallback, breakers and timers → record metrics. Later stages (limits, cache, budgets)
 * plug in here, so the HTTP app and in-process hosts share one path.
 */
@Injectable()
export class ChatPipeline {
  private readonly logger = new Logger(ChatPipeline.name);
  /** What the usage row needs beyond `meta`, kept per request without widening `meta`. */
  private readonly contexts = new WeakMap<
    ResponseMeta,
    { options: CallOptions; startedAt: number; limit?: RateLimitTicket }
  >();

  constructor(
    private readonly config: GatewayConfigService,
    private readonly planner: RoutePlanner,
    private readonly resolver: ModelResolver,
    private readonly executor: FallbackExecutor,
    private readonly metrics: GatewayMetrics,
    private readonly gate: BudgetGate,
    private readonly limits: RateLimitGate,
    private readonly tokens: TokenCounter,
    private readonly usage: UsageWriter,
    private readonly cache: ResponseCache,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    // Provider embedders of the semantic cache take the same path as any embeddings call.
    cache.embedWith(async (model, text) => {
      const { response } = await this.embed({ model, input: text }, { task: 'cache-embedding' });
      return response.data[0].embedding;
    });
  }

  async chat(request: unknown, callOptions: CallOptions = {}): Promise<ChatResult> {
    const admitted = await this.admit(request, callOptions, 'chat');
    const { body, options, plan } = admitted;
    // Everything after admission ends in finish() or fail(): the lease and holds go back.
    let started = this.clock.now();
    let meta: ResponseMeta | undefined;
    let deadline: RequestDeadline | undefined;
    try {
      ({ meta, deadline, started } = this.begin(plan, options, admitted.limit));
      const cached = await this.cache.lookup(body, options);
      meta.cache = cached.outcome;
      if (cached.hit) {
        this.fromCache(meta, cached, 'chat', started);
        return { response: cached.hit.response, meta };
      }
      // Without a stream the whole answer is the first token: both timers bound the attempt.
      const firstTokenMs = (p: ProviderConfig): number =>
        options.timeouts?.firstTokenMs ?? p.firstTokenTimeoutMs;
      const won = await this.executor.execute({
        ...this.budgeted(admitted),
        ...this.execution(plan, deadline, meta, 'chat', options, {
          call: (adapter, target, ctx) =>
            adapter.chat({ ...body, model: target.model, stream: false }, ctx),
          attemptLimitMs: (p) =>
            Math.min(options.timeouts?.attemptMs ?? p.timeoutMs, firstTokenMs(p)),
          // Name the timer that fired, so the caller knows which setting to change.
          attemptTimeoutError: (provider, ms) => {
            const config = this.config.current.providers[provider];
            return config && ms === firstTokenMs(config)
              ? firstTokenTimeoutError(provider, ms)
              : timeoutError(provider, ms);
          },
        }),
      });
      won.settle();
      this.served(meta, won.target.provider, won.target.model);
      meta.usage = usageOf(won.value.usage);
      this.charge(meta, won.target, won.hold);
      this.finish(meta, 'ok', 'chat', started);
      if (options.cache?.accept?.(won.value) !== false) this.cache.store(cached, won.value, meta);
      return { response: won.value, meta };
    } catch (error) {
      throw this.failAdmitted(admitted, meta, error, 'chat', started);
    } finally {
      deadline?.dispose();
    }
  }

  async chatStream(request: unknown, callOptions: CallOptions = {}): Promise<ChatStream> {
    const admitted = await this.admit(request, callOptions, 'chat_stream');
    const { body, options, plan } = admitted;
    const includeUsage = body.stream_options?.include_usage === true;
    let started = this.clock.now();
    let begun: ResponseMeta | undefined;
    let deadline: RequestDeadline | undefined;
    let cached: CacheLookup;
    let runMeta: ResponseMeta;
    let won;
    // Until the stream is handed over, every exit settles the admission here.
    try {
      const opened = this.begin(plan, options, admitted.limit);
      ({ deadline, started } = opened);
      begun = runMeta = opened.meta;
      cached = await this.cache.lookup(body, options);
      runMeta.cache = cached.outcome;
      if (cached.hit) {
        deadline.dispose();
        this.fromCache(runMeta, cached, 'chat_stream', started);
        return new ReplayedStream(cached.hit.response, runMeta, includeUsage);
      }
      won = await this.executor.execute<StreamStart>({
        ...this.budgeted(admitted),
        ...this.execution(plan, deadline, runMeta, 'chat_stream', options, {
          // Until the first chunk is in hand nothing has reached the caller: any failure
          // up to here (status, first-token timeout, an error event first) can fall back.
          call: async (adapter, target, ctx) => {
            const attemptStarted = this.clock.now();
            const chunks = await adapter.chatStream(
              { ...body, model: target.model, stream: true },
              ctx,
            );
            const rest = chunks[Symbol.asyncIterator]();
            const first = await rest.next();
            return {
              first: first.done ? undefined : first.value,
              rest,
              idleMs: options.timeouts?.idleMs ?? adapter.config.idleTimeoutMs,
              ttftMs: this.clock.now() - started,
              // The provider's own time to first token (no earlier attempts, no hedge delay).
              attemptTtftMs: this.clock.now() - attemptStarted,
            };
          },
          attemptLimitMs: (p) => options.timeouts?.firstTokenMs ?? p.firstTokenTimeoutMs,
        }),
        streaming: true,
        attemptTimeoutError: (provider, ms) => firstTokenTimeoutError(provider, ms),
        discard: (start) => void start.rest.return?.(),
      });
    } catch (error) {
      deadline?.dispose();
      throw this.failAdmitted(admitted, begun, error, 'chat_stream', started);
    }
    // Assembled only when the answer may be stored; stored only if the stream completes.
    const assembler = cached.store ? new StreamAssembler() : undefined;
    const streamDeadline = deadline;
    const meta = runMeta;
    const { first, rest, idleMs, ttftMs, attemptTtftMs } = won.value;
    const target = won.target;
    this.served(meta, target.provider, target.model);
    meta.ttftMs = ttftMs;
    this.metrics.recordTimeToFirstToken(target.provider, target.model, ttftMs / 1000);
    const watchdog = new IdleWatchdog(idleMs, () =>
      won.abort(idleTimeoutError(target.provider, idleMs)),
    );
    return new GatewayChatStream(first, rest, meta, includeUsage, {
      waiting: () => watchdog.waiting(),
      received: () => watchdog.received(),
      observe: assembler && ((chunk) => assembler.add(chunk)),
      onEnd: (error) => {
        watchdog.stop();
        won.settle(error, attemptTtftMs);
        this.charge(meta, target, won.hold);
        streamDeadline.dispose();
        if (error) {
          this.fail(meta, error, 'chat_stream', started);
          return;
        }
        this.finish(meta, 'ok', 'chat_stream', started);
        const response = assembler?.complete();
        if (response) this.cache.store(cached, response, meta);
      },
    });
  }

  async embed(request: unknown, callOptions: CallOptions = {}): Promise<EmbedResult> {
    const options = withRequestId(callOptions);
    let body: EmbeddingRequest;
    let plan: RoutePlan;
    let limit: Admitted['limit'];
    try {
      validateEmbeddingRequest(request);
      body = request;
      assertModelsAllowed(options.caller?.allowedModels, [body.model]);
      const resolution = this.resolver.resolve(body.model);
      plan = {
        candidates: resolution.targets,
        skipped: [],
        route: resolution.route,
        strategy: 'priority',
        explicit: resolution.explicit,
        fallbackOn: this.config.current.routing.fallbackOn,
        retryBeforeFallback: false,
        deadlineMs: this.config.current.routing.deadlineMs,
        hedge: { enabled: false, minDelayMs: 50 },
      };
      // Leases and holds are keyed by ids of our own: a caller's id may repeat.
      const admission = await this.limits.admit(body, options, plan, randomUUID(), false);
      if (admission.kind === 'go') limit = admission;
    } catch (error) {
      throw this.refused(request, options, error, 'embeddings');
    }
    const { meta, deadline, started } = this.begin(plan, options, limit);
    try {
      const won = await this.executor.execute(
        this.execution(plan, deadline, meta, 'embeddings', options, {
          call: (adapter, target, ctx) => adapter.embed({ ...body, model: target.model }, ctx),
          attemptLimitMs: (p) => options.timeouts?.attemptMs ?? p.timeoutMs,
        }),
      );
      won.settle();
      this.served(meta, won.target.provider, won.target.model);
      meta.usage = { prompt: won.value.usage?.prompt_tokens ?? 0, completion: 0 };
      this.finish(meta, 'ok', 'embeddings', started);
      return { response: won.value, meta };
    } catch (error) {
      throw this.fail(meta, error, 'embeddings', started);
    } finally {
      deadline.dispose();
    }
  }

  /**
   * Everything before the first provider call: validate, take the body's gateway
   * options, check the caller's model scope, plan the route, take the rate limits (or
   * move to the route's fallback model when they are full). A request refused here
   * still gets its usage row (status = the error code), so the log counts every request.
   */
  private async admit(
    request: unknown,
    callOptions: CallOptions,
    operation: 'chat' | 'chat_stream',
  ): Promise<Admitted> {
    const identified = withRequestId(callOptions);
    // The concurrency lease and budget holds are keyed by an id of the gateway's own: a
    // request id a caller (or host) chose may repeat, and must never merge two requests'
    // leases or collide with another request's reservation.
    const admissionId = randomUUID();
    try {
      validateChatRequest(request);
      const taken = takeGatewayOptions(request, identified);
      const options = taken.options;
      let body = taken.body;
      // Counted once for every gate and attempt (the fallback model keeps the messages).
      const tokens = new RequestTokens(body, this.tokens, this.config.current.providers);
      for (let fallbacks = 0; ; fallbacks++) {
        assertModelsAllowed(options.caller?.allowedModels, [body.model, ...(options.chain ?? [])]);
        const plan = this.planner.plan(body, {
          chain: options.chain,
          allowFallback: options.allowFallback,
          scope: options.caller?.allowedModels,
        });
        const admission = await this.limits.admit(
          body,
          options,
          plan,
          admissionId,
          fallbacks === 0,
          tokens,
        );
        if (admission.kind === 'go')
          return { body, options, plan, tokens, limit: admission, admissionId };
        body = { ...body, model: admission.model };
      }
    } catch (error) {
      throw this.refused(request, identified, error, operation);
    }
  }

  /** Records the usage row of a request refused before routing and returns its error. */
  private refused(
    request: unknown,
    options: CallOptions,
    error: unknown,
    operation: string,
  ): unknown {
    if (!(error instanceof GatewayError)) return error;
    const model = (request as { model?: unknown } | null)?.model;
    const caller = options.caller;
    this.usage.record({
      ...usageRowFromMeta(undefined, {
        requestId: options.requestId ?? randomUUID(),
        clientRequestId: options.clientRequestId,
        createdAt: Date.now(),
        status: error.code,
        stream: operation === 'chat_stream',
        keyId: caller?.keyId,
        userId: caller?.userId,
        teamId: caller?.teamId,
        task: options.task ?? (operation === 'embeddings' ? 'embeddings' : undefined),
      }),
      route: typeof model === 'string' ? model : null,
    });
    return error;
  }

  private execution<T>(
    plan: RoutePlan,
    deadline: RequestDeadline,
    meta: ResponseMeta,
    operation: Execution<T>['operation'],
    options: CallOptions,
    parts: Pick<Execution<T>, 'call' | 'attemptTimeoutError'> & {
      attemptLimitMs(provider: ProviderConfig): number;
    },
  ): Execution<T> {
    const connectTimeoutMs = options.timeouts?.connectMs;
    return {
      plan,
      deadline,
      meta,
      operation,
      requestId: meta.requestId,
      connectTimeoutMs,
      caller: options.caller?.keyId,
      ...parts,
    };
  }

  /** Budget hooks of a chat request: reserve per attempt (ids of our own), release on failure. */
  private budgeted({
    tokens,
    options,
    admissionId,
  }: Admitted): Pick<Execution<unknown>, 'reserve' | 'release'> {
    let attempt = 0;
    return {
      reserve: (target) =>
        this.gate.reserve(tokens, options, target, `${admissionId}#${attempt++}`),
      release: (hold) => this.gate.release(hold),
    };
  }

  /** Prices the served call and settles its budget hold with the actual cost. */
  private charge(meta: ResponseMeta, target: RouteTarget, hold: BudgetHold | undefined): void {
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

  private begin(
    plan: RoutePlan,
    options: CallOptions,
    limit?: Admitted['limit'],
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
  private fromCache(
    meta: ResponseMeta,
    lookup: CacheLookup,
    operation: string,
    started: number,
  ): void {
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

  private served(meta: ResponseMeta, provider: string, model: string): void {
    meta.provider = provider;
    meta.model = model;
    meta.fake = this.config.current.providers[provider]?.fake ?? false;
  }

  private finish(meta: ResponseMeta, outcome: string, operation: string, started: number): void {
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
  private failAdmitted(
    admitted: Admitted,
    meta: ResponseMeta | undefined,
    error: unknown,
    operation: 'chat' | 'chat_stream',
    started: number,
  ): unknown {
    if (meta) return this.fail(meta, error, operation, started);
    this.limits.settle(admitted.limit?.ticket, 0);
    return this.refused(admitted.body, admitted.options, error, operation);
  }

  private fail(
    meta: ResponseMeta,
    error: unknown,
    operation: string,
    started: number,
  ): GatewayError {
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

/** A request past every check before routing, with its rate-limit hold. */
interface Admitted {
  body: ChatRequest;
  options: CallOptions;
  plan: RoutePlan;
  tokens: RequestTokens;
  limit?: Extract<RateLimitAdmission, { kind: 'go' }>;
  /** The gateway's own id for this request's lease and budget holds. */
  admissionId: string;
}

/** The call options with a request id (generated when the caller gave none). */
function withRequestId(options: CallOptions): CallOptions & { requestId: string } {
  return options.requestId
    ? (options as CallOptions & { requestId: string })
    : { ...options, requestId: randomUUID() };
}
