import { Inject, Injectable } from '@nestjs/common';
import { randomUUID } from 'node:crypto';
import type { ProviderConfig } from '../config/gateway-config.schema';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { Clock } from '../resilience/clock';
import { CLOCK } from '../resilience/clock';
import { timeoutError } from '../errors/http-status-error.mapper';
import { IdleWatchdog, firstTokenTimeoutError, idleTimeoutError } from '../resilience/stream-guard';
import { ModelResolver } from '../routing/model-resolver.service';
import type { RoutePlan } from '../routing/route-planner.service';
import { RoutePlanner } from '../routing/route-planner.service';
import type { ChatRequest, EmbeddingRequest } from '../types/unified';
import type { CallOptions, ChatResult, ChatStream, EmbedResult, ResponseMeta } from './call-result';
import type { Execution, StreamStart } from './execution.types';
import { FallbackExecutor } from './fallback-executor.service';
import { BudgetGate } from './budget-gate';
import { GatewayChatStream } from './gateway-chat-stream';
import { takeGatewayOptions } from './gateway-options';
import type { RequestDeadline } from './request-deadline';
import { RequestLedger } from './request-ledger';
import { validateChatRequest, validateEmbeddingRequest } from './request.validator';
import { usageOf } from './usage';
import { assertModelsAllowed } from '../keys/model-scope';
import type { RateLimitAdmission } from './rate-limit-gate';
import { RateLimitGate } from './rate-limit-gate';
import { RequestTokens } from './request-tokens';
import { TokenCounter } from '../tokens/token-counter.service';
import type { CacheLookup } from '../cache/response-cache.service';
import { ResponseCache } from '../cache/response-cache.service';
import { ReplayedStream } from '../cache/replayed-stream';
import { StreamAssembler } from '../cache/stream-assembler';

/**
 * The request path of the library: validate → plan the route → run it with retries,
 * fallback, breakers and timers → record metrics. Later stages (limits, cache, budgets)
 * plug in here, so the HTTP app and in-process hosts share one path.
 */
@Injectable()
export class ChatPipeline {
  constructor(
    private readonly config: GatewayConfigService,
    private readonly planner: RoutePlanner,
    private readonly resolver: ModelResolver,
    private readonly executor: FallbackExecutor,
    private readonly metrics: GatewayMetrics,
    private readonly gate: BudgetGate,
    private readonly limits: RateLimitGate,
    private readonly tokens: TokenCounter,
    private readonly cache: ResponseCache,
    private readonly ledger: RequestLedger,
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
      ({ meta, deadline, started } = this.ledger.begin(plan, options, admitted.limit));
      const cached = await this.cache.lookup(body, options);
      meta.cache = cached.outcome;
      if (cached.hit) {
        this.ledger.fromCache(meta, cached, 'chat', started);
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
      this.ledger.served(meta, won.target.provider, won.target.model);
      meta.usage = usageOf(won.value.usage);
      this.ledger.charge(meta, won.target, won.hold);
      this.ledger.finish(meta, 'ok', 'chat', started);
      if (options.cache?.accept?.(won.value) !== false) this.cache.store(cached, won.value, meta);
      return { response: won.value, meta };
    } catch (error) {
      throw this.ledger.failAdmitted(admitted, meta, error, 'chat', started);
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
      const opened = this.ledger.begin(plan, options, admitted.limit);
      ({ deadline, started } = opened);
      begun = runMeta = opened.meta;
      cached = await this.cache.lookup(body, options);
      runMeta.cache = cached.outcome;
      if (cached.hit) {
        deadline.dispose();
        this.ledger.fromCache(runMeta, cached, 'chat_stream', started);
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
      throw this.ledger.failAdmitted(admitted, begun, error, 'chat_stream', started);
    }
    // Assembled only when the answer may be stored; stored only if the stream completes.
    const assembler = cached.store ? new StreamAssembler() : undefined;
    const streamDeadline = deadline;
    const meta = runMeta;
    const { first, rest, idleMs, ttftMs, attemptTtftMs } = won.value;
    const target = won.target;
    this.ledger.served(meta, target.provider, target.model);
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
        this.ledger.charge(meta, target, won.hold);
        streamDeadline.dispose();
        if (error) {
          this.ledger.fail(meta, error, 'chat_stream', started);
          return;
        }
        this.ledger.finish(meta, 'ok', 'chat_stream', started);
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
      throw this.ledger.refused(request, options, error, 'embeddings');
    }
    const { meta, deadline, started } = this.ledger.begin(plan, options, limit);
    try {
      const won = await this.executor.execute(
        this.execution(plan, deadline, meta, 'embeddings', options, {
          call: (adapter, target, ctx) => adapter.embed({ ...body, model: target.model }, ctx),
          attemptLimitMs: (p) => options.timeouts?.attemptMs ?? p.timeoutMs,
        }),
      );
      won.settle();
      this.ledger.served(meta, won.target.provider, won.target.model);
      meta.usage = { prompt: won.value.usage?.prompt_tokens ?? 0, completion: 0 };
      this.ledger.finish(meta, 'ok', 'embeddings', started);
      return { response: won.value, meta };
    } catch (error) {
      throw this.ledger.fail(meta, error, 'embeddings', started);
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
      throw this.ledger.refused(request, identified, error, operation);
    }
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
    return {
      plan,
      deadline,
      meta,
      operation,
      requestId: meta.requestId,
      connectTimeoutMs: options.timeouts?.connectMs,
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
