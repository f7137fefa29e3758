import { Injectable } from '@nestjs/common';
import type { ProviderConfig } from '../config/gateway-config.schema';
import { GatewayConfigService } from '../config/gateway-config.service';
import { timeoutError } from '../errors/http-status-error.mapper';
import { firstTokenTimeoutError } from '../resilience/stream-guard';
import type { RoutePlan } from '../routing/route-planner.service';
import type { CallOptions } from '../shared/call-result';
import type { Clock } from '../shared/clock';
import { InjectClock } from '../shared/clock';
import type {
  ChatRequest,
  ChatResponse,
  EmbeddingRequest,
  EmbeddingResponse,
} from '../types/unified';
import type { Execution, StreamStart } from './execution/execution.types';
import type { OpenRequest } from './request-ledger';

/** What differs between operations: the provider call, its timer and the timer's error. */
export type AttemptParts<T> = Pick<
  Execution<T>,
  'call' | 'attemptLimitMs' | 'attemptTimeoutError' | 'streaming' | 'discard' | 'modelOf'
>;

/** An execution of `parts` for an open request over its plan's candidates. */
export function executionOf<T>(
  request: OpenRequest,
  plan: RoutePlan,
  parts: AttemptParts<T>,
): Execution<T> {
  return {
    plan,
    deadline: request.deadline,
    meta: request.meta,
    operation: request.operation,
    requestId: request.meta.requestId,
    connectTimeoutMs: request.options.timeouts?.connectMs,
    caller: request.options.caller?.keyId,
    ...parts,
  };
}

/**
 * The provider call of each operation and the timer that bounds one attempt of it: a
 * whole answer (chat, embeddings) or the first chunk (streams), with the request's own
 * timeouts overriding the provider's settings.
 */
@Injectable()
export class AttemptCalls {
  constructor(
    private readonly config: GatewayConfigService,
    @InjectClock() private readonly clock: Clock,
  ) {}

  chat(body: ChatRequest, options: CallOptions): AttemptParts<ChatResponse> {
    // Without a stream the whole answer is the first token: both timers bound the attempt.
    const firstTokenMs = (p: ProviderConfig): number =>
      options.timeouts?.firstTokenMs ?? p.firstTokenTimeoutMs;
    return {
      call: (adapter, target, ctx) =>
        adapter.chat({ ...body, model: target.model, stream: false }, ctx),
      modelOf: (response) => response.model,
      attemptLimitMs: (p) => Math.min(options.timeouts?.attemptMs ?? p.timeoutMs, firstTokenMs(p)),
      // Name the timer that fired, so the caller knows which setting to change.
      attemptTimeoutError: (provider, ms) => {
        const config = this.config.current.providers[provider];
        return config && ms === firstTokenMs(config)
          ? firstTokenTimeoutError(provider, ms)
          : timeoutError(provider, ms);
      },
    };
  }

  /** `started`: when the request began, for its time to first token. */
  stream(body: ChatRequest, options: CallOptions, started: number): AttemptParts<StreamStart> {
    return {
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
      modelOf: (start) => start.first?.model,
      streaming: true,
      attemptTimeoutError: (provider, ms) => firstTokenTimeoutError(provider, ms),
      discard: (start) => void start.rest.return?.(),
    };
  }

  embeddings(body: EmbeddingRequest, options: CallOptions): AttemptParts<EmbeddingResponse> {
    return {
      call: (adapter, target, ctx) => adapter.embed({ ...body, model: target.model }, ctx),
      modelOf: (response) => response.model,
      attemptLimitMs: (p) => options.timeouts?.attemptMs ?? p.timeoutMs,
    };
  }
}
