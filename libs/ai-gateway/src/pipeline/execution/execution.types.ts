import type { ChatChunk } from '../../types/unified';
import type { ProviderConfig } from '../../config/gateway-config.schema';
import type { GatewayError } from '../../errors/gateway.error';
import type {
  ProviderAdapter,
  ProviderCallContext,
} from '../../providers/provider-adapter.interface';
import type { RouteTarget } from '../../routing/model-resolver.service';
import type { RoutePlan } from '../../routing/route-planner.service';
import type { BudgetHold, GateResult } from '../admission/budget-gate';
import type { ResponseMeta } from '../../shared/call-result';
import type { RequestDeadline } from './request-deadline';

/** What a request does, as metrics and usage rows name it. */
export type Operation = 'chat' | 'chat_stream' | 'embeddings' | 'passthrough';

/** One provider call, given the adapter and the attempt's context. */
export type AttemptCall<T> = (
  adapter: ProviderAdapter,
  target: RouteTarget,
  ctx: ProviderCallContext,
) => Promise<T>;

/** A won attempt: the value, where it came from, and how to close the attempt. */
export interface Won<T> {
  value: T;
  target: RouteTarget;
  /**
   * Closes the attempt once its answer is fully delivered (streams: at their end):
   * reports the outcome to the breaker and the latency tracker, clears its timers.
   */
  settle(error?: unknown, ttftMs?: number): void;
  /** Ends the attempt now (a stream gone silent): the provider call fails with `reason`. */
  abort(reason: GatewayError): void;
  /** The budget reservation this attempt holds, to settle with the actual cost. */
  hold?: BudgetHold;
}

export interface Execution<T> {
  plan: Pick<RoutePlan, 'candidates' | 'fallbackOn' | 'retryBeforeFallback' | 'hedge'>;
  deadline: RequestDeadline;
  meta: ResponseMeta;
  operation: Operation;
  requestId: string;
  call: AttemptCall<T>;
  /** The request's own connect timeout, passed to adapters (default: each provider's). */
  connectTimeoutMs?: number;
  /** Limit of one attempt before it produced its answer (non-streaming) or first chunk. */
  attemptLimitMs(provider: ProviderConfig): number;
  /** Budgets: reserve for one attempt before its call (skip the target, or stop the request). */
  reserve?(target: RouteTarget, attemptId: string): Promise<GateResult>;
  /** Gives back a reservation whose attempt failed or never ran. */
  release?(hold: BudgetHold | undefined): void;
  /** The error an attempt ends with when its limit passes (default: a plain timeout). */
  attemptTimeoutError?(provider: string, limitMs: number): GatewayError;
  /** Streams: the attempt timer stops at the first chunk; the stream then runs on. */
  streaming?: boolean;
  /** The model the provider says answered (`gen_ai.response.model` of the attempt's span). */
  modelOf?(value: T): string | undefined;
  /** Called on a hedging loser that answered anyway, so it can be closed (a stream). */
  discard?(value: T): void;
  /**
   * Who is asking (the gateway key's id): its calls in flight per provider are capped at
   * its share of the pool. Absent: no share applies (no keys, or in-process callers).
   */
  caller?: string;
}

/** How one try ended: an answer, or the failure (and whether it was the request's own). */
export type TryResult<T> =
  | { ok: true; won: Won<T> }
  | { ok: false; error: GatewayError; skipped?: string; requestsOwn?: boolean };

/** A stream that has produced its first chunk: the point of no return for fallback. */
export interface StreamStart {
  first: ChatChunk | undefined;
  rest: AsyncIterator<ChatChunk>;
  idleMs: number;
  ttftMs: number;
  attemptTtftMs: number;
}
