import { Injectable } from '@nestjs/common';
import type { CacheLookup } from '../cache/response-cache.service';
import type { CallOptions, ChatResult, ChatStream } from '../shared/call-result';
import type { AdmittedChat } from './admission/request-admission';
import type { IdentifiedOptions } from './admission/request-admission';
import { RequestAdmission, withRequestId } from './admission/request-admission';
import { AttemptCalls, executionOf } from './attempt-calls';
import { CacheStep } from './cache-step';
import type { Operation, StreamStart, Won } from './execution/execution.types';
import { FallbackExecutor } from './execution/fallback-executor.service';
import { GuardStep } from './middleware/guard-step';
import type { MiddlewareRun } from './middleware/middleware-run';
import type { OpenRequest } from './request-ledger';
import { RequestLedger } from './request-ledger';
import { StreamRelay } from './stream-relay';
import { modelOf, usageOf } from './usage';
import { RequestTracing } from '../observability/tracing/request-tracing';

/**
 * The chat request path of the library: admit (validate, scope, route, limits) → the
 * cache → the candidates with retries, fallback, hedging, breakers, budgets and timers →
 * the books (metrics, settles, one usage row). The HTTP app and in-process hosts share it.
 */
@Injectable()
export class ChatPipeline {
  constructor(
    private readonly admission: RequestAdmission,
    private readonly cache: CacheStep,
    private readonly calls: AttemptCalls,
    private readonly executor: FallbackExecutor,
    private readonly ledger: RequestLedger,
    private readonly relay: StreamRelay,
    private readonly tracing: RequestTracing,
    private readonly guard: GuardStep,
  ) {}

  chat(request: unknown, callOptions: CallOptions = {}): Promise<ChatResult> {
    const options = withRequestId(callOptions);
    return this.tracing.within('chat', modelOf(request), options.requestId, () =>
      this.answer(request, options),
    );
  }

  chatStream(request: unknown, callOptions: CallOptions = {}): Promise<ChatStream> {
    const options = withRequestId(callOptions);
    return this.tracing.within('chat_stream', modelOf(request), options.requestId, () =>
      this.stream(request, options),
    );
  }

  private async answer(request: unknown, callOptions: IdentifiedOptions): Promise<ChatResult> {
    const admitted = await this.admit(request, callOptions, 'chat');
    const { options, plan } = admitted;
    // Everything after admission ends in finish() or fail(): the lease and holds go back.
    let open: OpenRequest | undefined;
    let run: MiddlewareRun | undefined;
    // A cache hit is booked by the lookup: a later failure must not book it twice.
    let booked = false;
    try {
      open = this.ledger.begin(plan, options, 'chat', admitted.limit);
      // The middleware (guardrails) before the cache: the cache keys what is sent.
      run = this.guard.open(admitted.body, open);
      const body = run ? await this.guard.before(run, admitted.body, open) : admitted.body;
      this.ledger.notePrompt(open, body);
      const cached = await this.cache.lookup(body, open);
      if (cached.hit) {
        booked = true;
        const response = cached.hit.response;
        return {
          response: run ? await this.guard.deliver(run, response, open) : response,
          meta: open.meta,
        };
      }
      const won = await this.executor.execute({
        ...admitted.budget,
        ...executionOf(open, plan, this.calls.chat(body, options)),
      });
      this.ledger.served(open, won.target);
      open.meta.usage = usageOf(won.value.usage);
      // Settled once who served it and its usage are known: the attempt's span carries them.
      won.settle();
      this.ledger.charge(open, won.target, won.hold);
      // The caller's copy through the middleware; the provider's own answer goes to the cache.
      const response = run ? await this.guard.deliver(run, won.value, open) : won.value;
      this.ledger.finish(open, 'ok');
      // The caller judges its own copy (placeholders restored); the cache keeps the provider's.
      if (options.cache?.accept?.(response) !== false) {
        this.cache.store(cached, won.value, open.meta);
      }
      return { response, meta: open.meta };
    } catch (error) {
      const failure = booked ? error : this.ledger.failAdmitted(admitted, open, error, 'chat');
      this.guard.failed(run, failure, open);
      throw failure;
    } finally {
      open?.deadline.dispose();
    }
  }

  private async stream(request: unknown, callOptions: IdentifiedOptions): Promise<ChatStream> {
    const admitted = await this.admit(request, callOptions, 'chat_stream');
    const { options, plan } = admitted;
    const includeUsage = admitted.body.stream_options?.include_usage === true;
    let open: OpenRequest | undefined;
    let run: MiddlewareRun | undefined;
    let started: { open: OpenRequest; cached: CacheLookup; won: Won<StreamStart> };
    // Until the stream is handed over, every exit settles the admission here.
    try {
      open = this.ledger.begin(plan, options, 'chat_stream', admitted.limit);
      run = this.guard.open(admitted.body, open);
      const body = run ? await this.guard.before(run, admitted.body, open) : admitted.body;
      this.ledger.notePrompt(open, body);
      const cached = await this.cache.lookup(body, open);
      if (cached.hit) {
        open.deadline.dispose();
        const replay = this.cache.replay(cached.hit, open.meta, includeUsage);
        return run ? this.guard.stream(run, replay) : replay;
      }
      const won = await this.executor.execute<StreamStart>({
        ...admitted.budget,
        ...executionOf(open, plan, this.calls.stream(body, options, open.started)),
      });
      started = { open, cached, won };
    } catch (error) {
      open?.deadline.dispose();
      const failure = this.ledger.failAdmitted(admitted, open, error, 'chat_stream');
      this.guard.failed(run, failure, open);
      throw failure;
    }
    const stream = this.relay.relay(started.won, started.open, started.cached, includeUsage);
    return run ? this.guard.stream(run, stream) : stream;
  }

  /** Admission, with a refusal booked (its usage row) before it is thrown. */
  private async admit(
    request: unknown,
    options: IdentifiedOptions,
    operation: Operation,
  ): Promise<AdmittedChat> {
    try {
      return await this.admission.chat(request, options);
    } catch (error) {
      throw this.ledger.refused(request, options, error, operation);
    }
  }
}
