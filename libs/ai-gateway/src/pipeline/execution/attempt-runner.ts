import { Injectable } from '@nestjs/common';
import type { Span } from '@opentelemetry/api';
import { GenAi } from '../../observability/tracing/gen-ai.attributes';
import { RequestTracing } from '../../observability/tracing/request-tracing';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import type { GatewayError } from '../../errors/gateway.error';
import { timeoutError } from '../../errors/http-status-error.mapper';
import type { ProviderCallContext } from '../../providers/provider-adapter.interface';
import type { CircuitPermit } from '../../resilience/circuit-breaker.service';
import { CircuitBreakerService } from '../../resilience/circuit-breaker.service';
import {
  asGatewayError,
  authFailureBlamesKey,
  isRequestsOwnFailure,
} from '../../resilience/request-fault';
import { RetryBudget } from '../../resilience/retry-budget';
import { LatencyTracker } from '../../routing/latency-tracker.service';
import type { RouteTarget } from '../../routing/model-resolver.service';
import type { AttemptRecord } from '../../shared/call-result';
import type { Clock } from '../../shared/clock';
import { InjectClock } from '../../shared/clock';
import type { AttemptClaim } from './attempt-claims';
import { AttemptClaims } from './attempt-claims';
import type { Execution, TryResult } from './execution.types';
import type { AttemptSignal } from './request-deadline';

/** Lets a hedged race cancel an attempt once it is under way. */
export type OnAttemptStart = (cancel: (reason: GatewayError) => void) => void;

/** How an attempt under way is closed: once, whoever gets there first. */
interface Settlement {
  settle(error?: unknown, ttftMs?: number): void;
  /** A stream produced its first chunk: its health is known and reported now. */
  streamStarted(): void;
  /** Set once settled with a failure: the request's own (timer, deadline, caller gone). */
  readonly requestsOwn: boolean;
}

/**
 * One try of one target: claim what the call needs, call the provider under the
 * attempt's timer, and settle it exactly once — the breaker and the latency tracker hear
 * how it went, the timer and the pool slot are freed. A won attempt is settled by its
 * caller when the answer is delivered (streams: at their end).
 */
@Injectable()
export class AttemptRunner {
  constructor(
    private readonly claims: AttemptClaims,
    private readonly breakers: CircuitBreakerService,
    private readonly latency: LatencyTracker,
    private readonly budget: RetryBudget,
    private readonly tracing: RequestTracing,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async run<T>(
    run: Execution<T>,
    target: RouteTarget,
    retry: number,
    hedged = false,
    onStart?: OnAttemptStart,
  ): Promise<TryResult<T>> {
    const claimed = await this.claims.claim(run, target, retry);
    if (!claimed.ok) return claimed;
    const { claim } = claimed;
    const { adapter, picked, hold } = claim;

    // The budget counts first attempts; retries are counted when the budget grants them.
    if (retry === 0) this.budget.onRequest(target.provider);
    const limitMs = run.attemptLimitMs(adapter.config);
    const onLimit = (): GatewayError =>
      run.attemptTimeoutError?.(target.provider, limitMs) ?? timeoutError(target.provider, limitMs);
    const attempt = run.deadline.attempt(limitMs, onLimit);
    onStart?.((reason) => attempt.abort(reason));
    const started = this.clock.now();
    const record: AttemptRecord = {
      provider: target.provider,
      model: target.model,
      outcome: 'pending',
      latencyMs: 0,
      retry,
      ...(hedged ? { hedged } : {}),
      ...(picked.keyId ? { keyId: picked.keyId } : {}),
    };
    run.meta.attempts.push(record);
    const span = this.tracing.traced
      ? this.tracing.attempt({
          operation: run.operation,
          provider: target.provider,
          model: target.model,
          retry,
          hedged,
          keyId: picked.keyId,
        })
      : undefined;
    const ctx: ProviderCallContext = {
      requestId: run.requestId,
      signal: attempt.signal,
      timeoutMs: limitMs,
      apiKey: picked.key,
      connectTimeoutMs: run.connectTimeoutMs,
      traceHeaders: span && this.tracing.headersFor(span, target.provider),
    };
    const settlement = this.settlement(run, target, claim, {
      attempt,
      record,
      limitMs,
      started,
      span,
    });
    try {
      const value = await run.call(adapter, target, ctx);
      if (span) span.setAttribute(GenAi.RESPONSE_MODEL, run.modelOf?.(value) ?? target.model);
      if (run.streaming) settlement.streamStarted();
      record.outcome = 'ok';
      record.latencyMs = this.clock.now() - started;
      return {
        ok: true,
        won: {
          value,
          target,
          settle: (error, ttftMs) => settlement.settle(error, ttftMs),
          abort: (reason) => attempt.abort(reason),
          hold,
        },
      };
    } catch (error) {
      const failure = asGatewayError(error, target.provider);
      run.release?.(hold);
      settlement.settle(failure);
      return { ok: false, error: failure, requestsOwn: settlement.requestsOwn };
    }
  }

  private settlement(
    run: Execution<unknown>,
    target: RouteTarget,
    claim: AttemptClaim,
    { attempt, record, limitMs, started, span }: AttemptUnderWay,
  ): Settlement {
    const { adapter, picked, permit } = claim;
    let settled = false;
    // A stream's health is known at its first chunk: reported then (closing a half-open
    // circuit at once, rather than when a long stream ends); a later failure of the same
    // stream still counts, as an ordinary call and no longer as the probe.
    let reported: CircuitPermit = permit;
    let requestsOwn = false;
    return {
      get requestsOwn() {
        return requestsOwn;
      },
      streamStarted: () => {
        attempt.disarm();
        void this.breakers.record(target.provider, picked.keyId, permit, { ok: true });
        reported = { ...permit, probe: false, providerProbe: false, keyProbe: false };
      },
      settle: (error, ttftMs) => {
        if (settled) return;
        settled = true;
        const failure = error === undefined ? undefined : asGatewayError(error, target.provider);
        // Read before the abort below, which would claim the attempt for itself.
        const stoppedBy = attempt.stoppedBy;
        // A failed stream (idle timer, caller gone) may still hold its upstream connection,
        // waiting for bytes: aborting the attempt cuts it now rather than when bytes come.
        if (failure) attempt.abort(failure);
        attempt.release();
        claim.releaseShare();
        const latencyMs = this.clock.now() - started;
        record.latencyMs = latencyMs;
        if (failure) record.outcome = failure.code;
        if (span) {
          const served = run.meta.provider === target.provider && run.meta.model === target.model;
          this.tracing.endAttempt(span, record.outcome, served ? run.meta : undefined);
        }
        requestsOwn =
          failure !== undefined &&
          isRequestsOwnFailure(
            {
              error: failure,
              stoppedBy,
              limitMs,
              operation: run.operation,
              connectTimeoutMs: run.connectTimeoutMs,
            },
            adapter.config,
          );
        // The request's own limits say nothing about the provider's speed either.
        if (!requestsOwn) {
          // A non-streaming answer arrives whole: its first token is the answer itself.
          const firstTokenMs = ttftMs ?? (failure || run.streaming ? undefined : latencyMs);
          this.latency.record(target.provider, target.model, {
            latencyMs,
            ttftMs: firstTokenMs,
            ok: !failure,
          });
        }
        if (!failure && reported !== permit) return;
        void this.breakers.record(
          target.provider,
          picked.keyId,
          reported,
          failure
            ? {
                ok: false,
                error: failure,
                requestsOwn,
                keyBlamed:
                  failure.code !== GatewayErrorCode.AUTH ||
                  authFailureBlamesKey(adapter.config, target.model),
              }
            : { ok: true },
        );
      },
    };
  }
}

/** The attempt's timer, its trace entry, its limit and when it started. */
interface AttemptUnderWay {
  attempt: AttemptSignal;
  record: AttemptRecord;
  limitMs: number;
  started: number;
  /** The attempt's span, while the request is traced. */
  span?: Span;
}
