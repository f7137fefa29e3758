import { Inject, Injectable } from '@nestjs/common';
import type { ProviderConfig } from '../config/gateway-config.schema';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { timeoutError } from '../errors/http-status-error.mapper';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { ProviderCallContext } from '../providers/provider-adapter.interface';
import { ProviderRegistry } from '../providers/provider-registry.service';
import type { BreakerPermit } from '../resilience/breaker.types';
import { CircuitBreakerService } from '../resilience/circuit-breaker.service';
import type { Clock } from '../resilience/clock';
import { CLOCK } from '../resilience/clock';
import { ConnectionShare, callerConnectionLimit } from '../resilience/connection-share';
import { KeySelector } from '../resilience/key-selector.service';
import {
  asGatewayError,
  authFailureBlamesKey,
  isKeyFailure,
  isRequestsOwnFailure,
} from '../resilience/request-fault';
import { RetryBudget } from '../resilience/retry-budget';
import { decideAfterFailure, fallbackReasonOf } from '../resilience/retry-policy';
import type { RouteTarget } from '../routing/model-resolver.service';
import { LatencyTracker } from '../routing/latency-tracker.service';
import type { BudgetHold } from './budget-gate';
import type { Execution, TryResult, Won } from './execution.types';
import type { Hedging } from './hedged-race';
import { runHedged } from './hedged-race';

export type { AttemptCall, Execution, Won } from './execution.types';

const DEFAULT_RETRY = { baseDelayMs: 250, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

/**
 * Walks a route's candidates: retries with backoff where the policy says so, falls
 * back on the failure kinds the route allows, skips open circuits and resting keys,
 * hedges when asked, and stops at the request's deadline. Every try lands in
 * `meta.attempts`, which is the decision trace callers see.
 */
@Injectable()
export class FallbackExecutor {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly breakers: CircuitBreakerService,
    private readonly keys: KeySelector,
    private readonly budget: RetryBudget,
    private readonly latency: LatencyTracker,
    private readonly metrics: GatewayMetrics,
    private readonly shares: ConnectionShare,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {
    this.hedging = {
      tryOnce: (run, target, retry, hedged, onStart) =>
        this.tryOnce(run, target, retry, hedged, onStart),
      latency,
      metrics,
    };
  }

  /** What a hedged pair needs from the executor: one try, the latency figures, the metrics. */
  private readonly hedging: Hedging;

  async execute<T>(run: Execution<T>): Promise<Won<T>> {
    const { candidates } = run.plan;
    let lastError: GatewayError | undefined;
    for (let index = 0; index < candidates.length; index++) {
      const target = candidates[index];
      const next = candidates[index + 1];
      if (run.plan.hedge.enabled && next && !lastError) {
        const hedged = await runHedged(this.hedging, run, target, next, run.plan.hedge);
        if (hedged.ok) return hedged.won;
        lastError = hedged.error;
        index++; // both candidates were used
        if (!this.mayContinue(hedged.error, run)) throw hedged.error;
        continue;
      }
      let rotations = 0;
      for (let retries = 0; ; retries++) {
        if (run.deadline.expired) throw lastError ?? run.deadline.reason;
        const result = await this.tryOnce(run, target, retries);
        if (result.ok) return result.won;
        lastError = result.error;
        if (result.skipped) break;
        const provider = this.registry.get(target.provider)?.config;
        // A key the provider refused (401/403) or throttled (429) now rests; the next key
        // takes over at once, so the caller never sees a single key's failure.
        if (provider && isKeyFailure(result.error) && rotations < provider.apiKeys.length - 1) {
          rotations++;
          retries--;
          this.metrics.keyRotations.inc({ provider: target.provider, reason: result.error.code });
          continue;
        }
        const decision = decideAfterFailure(result.error, {
          attempt: retries,
          maxRetries: provider?.maxRetries ?? 0,
          hasNextCandidate: index + 1 < candidates.length,
          fallbackOn: run.plan.fallbackOn,
          retryBeforeFallback: run.plan.retryBeforeFallback,
          // A retry after the request's own timer fired would fail the same way and spend
          // the provider's shared retry budget: the request moves on or fails instead.
          retryAllowedByBudget: () =>
            !result.requestsOwn && this.budget.tryAcquireRetry(target.provider),
          remainingDeadlineMs: run.deadline.remainingMs,
          retry: provider?.retry ?? DEFAULT_RETRY,
          random: Math.random,
        });
        if (decision.action === 'retry') {
          this.metrics.retries.inc({ provider: target.provider, reason: result.error.code });
          await run.deadline.sleep(decision.delayMs);
          continue;
        }
        if (decision.action === 'fail') throw result.error;
        this.metrics.fallbacks.inc({ provider: target.provider, reason: result.error.code });
        break;
      }
    }
    throw (
      lastError ??
      new GatewayError(GatewayErrorCode.NO_PROVIDER_AVAILABLE, 'No provider could take the request')
    );
  }

  /** After a hedged pair failed, later candidates are tried only for fallback-able failures. */
  private mayContinue(error: GatewayError, run: Execution<unknown>): boolean {
    const reason = fallbackReasonOf(error.code);
    return (
      error.code === GatewayErrorCode.NO_PROVIDER_AVAILABLE ||
      (reason !== undefined && run.plan.fallbackOn.includes(reason))
    );
  }

  private async tryOnce<T>(
    run: Execution<T>,
    target: RouteTarget,
    retry: number,
    hedged = false,
    onStart?: (cancel: (reason: GatewayError) => void) => void,
  ): Promise<TryResult<T>> {
    const adapter = this.registry.get(target.provider);
    if (!adapter) return this.skip(run, target, 'provider_unavailable');
    const releaseShare = this.takeShare(run, adapter.config);
    if (!releaseShare) return this.overShare(run, target, adapter.config);
    let hold: BudgetHold | undefined;
    if (run.reserve) {
      const gate = await run
        .reserve(target, `${run.requestId}#${run.meta.attempts.length}`)
        .catch((error: unknown) => {
          releaseShare();
          throw error;
        });
      if (gate.kind !== 'go') releaseShare();
      if (gate.kind === 'skip') return this.skip(run, target, gate.reason);
      if (gate.kind === 'fail') {
        run.meta.attempts.push({
          provider: target.provider,
          model: target.model,
          outcome: `skipped:${gate.error.code}`,
          latencyMs: 0,
          retry,
        });
        return { ok: false, error: gate.error };
      }
      hold = gate.hold;
    }
    const picked = await this.keys.pick(adapter.config);
    if (!picked) {
      run.release?.(hold);
      releaseShare();
      return this.skip(run, target, 'keys_resting');
    }
    const permit = await this.breakers.acquire(target.provider, picked.keyId);
    if (!permit.allowed) {
      run.release?.(hold);
      releaseShare();
      return this.skip(run, target, 'circuit_open', permit);
    }

    // The budget counts first attempts; retries are counted when the budget grants them.
    if (retry === 0) this.budget.onRequest(target.provider);
    const limitMs = run.attemptLimitMs(adapter.config);
    const onLimit = (): GatewayError =>
      run.attemptTimeoutError?.(target.provider, limitMs) ?? timeoutError(target.provider, limitMs);
    const attempt = run.deadline.attempt(limitMs, onLimit);
    onStart?.((reason) => attempt.abort(reason));
    const started = this.clock.now();
    const record = {
      provider: target.provider,
      model: target.model,
      outcome: 'pending',
      latencyMs: 0,
      retry,
      ...(hedged ? { hedged } : {}),
      ...(picked.keyId ? { keyId: picked.keyId } : {}),
    };
    run.meta.attempts.push(record);
    const ctx: ProviderCallContext = {
      requestId: run.requestId,
      signal: attempt.signal,
      timeoutMs: limitMs,
      apiKey: picked.key,
      connectTimeoutMs: run.connectTimeoutMs,
    };
    let settled = false;
    // A stream's health is known at its first chunk: reported then (closing a half-open
    // circuit at once, rather than when a long stream ends); a later failure of the same
    // stream still counts, as an ordinary call and no longer as the probe.
    let reported = permit;
    let requestsOwn = false;
    const settle = (error?: unknown, ttftMs?: number): void => {
      if (settled) return;
      settled = true;
      const failure = error === undefined ? undefined : asGatewayError(error, target.provider);
      // Read before the abort below, which would claim the attempt for itself.
      const stoppedBy = attempt.stoppedBy;
      // A failed stream (idle timer, caller gone) may still hold its upstream connection,
      // waiting for bytes: aborting the attempt cuts it now rather than when bytes come.
      if (failure) attempt.abort(failure);
      attempt.release();
      releaseShare();
      const latencyMs = this.clock.now() - started;
      record.latencyMs = latencyMs;
      if (failure) record.outcome = failure.code;
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
    };
    try {
      const value = await run.call(adapter, target, ctx);
      if (run.streaming) {
        attempt.disarm();
        void this.breakers.record(target.provider, picked.keyId, permit, { ok: true });
        reported = { ...permit, probe: false, providerProbe: false, keyProbe: false };
      }
      record.outcome = 'ok';
      record.latencyMs = this.clock.now() - started;
      return {
        ok: true,
        won: { value, target, settle, abort: (reason) => attempt.abort(reason), hold },
      };
    } catch (error) {
      const failure = asGatewayError(error, target.provider);
      run.release?.(hold);
      settle(failure);
      return { ok: false, error: failure, requestsOwn };
    }
  }

  /**
   * One slot of the caller's share of the provider's pool (see `ConnectionShare`): the
   * release function (a no-op when the request names no caller), or undefined when full.
   */
  private takeShare(run: Execution<unknown>, provider: ProviderConfig): (() => void) | undefined {
    if (run.caller === undefined) return noop;
    return this.shares.tryTake(provider.name, run.caller, callerConnectionLimit(provider));
  }

  /** The caller holds its whole share of this provider: the next candidate, else a 429 for it alone. */
  private overShare<T>(
    run: Execution<T>,
    target: RouteTarget,
    provider: ProviderConfig,
  ): TryResult<T> {
    const limit = callerConnectionLimit(provider);
    this.skip(run, target, 'caller_share');
    return {
      ok: false,
      skipped: 'caller_share',
      error: new GatewayError(
        GatewayErrorCode.RATE_LIMIT_EXCEEDED,
        `This key already has ${limit} requests in flight to provider ${target.provider} (its share of the connection pool)`,
        { provider: target.provider, retryable: true, retryAfterMs: 1_000 },
      ),
    };
  }

  private skip<T>(
    run: Execution<T>,
    target: RouteTarget,
    why: string,
    permit?: BreakerPermit,
  ): TryResult<T> {
    run.meta.attempts.push({
      provider: target.provider,
      model: target.model,
      outcome: `skipped:${why}`,
      latencyMs: 0,
      retry: 0,
    });
    this.metrics.skips.inc({ provider: target.provider, reason: why });
    const retryAfterMs = permit?.openUntil
      ? Math.max(0, permit.openUntil - this.clock.now())
      : undefined;
    return {
      ok: false,
      skipped: why,
      error: new GatewayError(
        GatewayErrorCode.NO_PROVIDER_AVAILABLE,
        `Provider ${target.provider} is not taking requests (${why.replace('_', ' ')})`,
        {
          provider: target.provider,
          retryable: true,
          retryAfterMs,
        },
      ),
    };
  }
}

function noop(): void {}
