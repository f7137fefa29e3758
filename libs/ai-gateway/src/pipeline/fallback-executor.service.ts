import { Inject, Injectable } from '@nestjs/common';
import type { HedgeConfig, ProviderConfig } from '../config/gateway-config.schema';
import { GatewayErrorCode } from '../errors/gateway-error-code';
import { GatewayError } from '../errors/gateway.error';
import { timeoutError } from '../errors/http-status-error.mapper';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { ProviderAdapter, ProviderCallContext } from '../providers/provider-adapter.interface';
import { ProviderRegistry } from '../providers/provider-registry.service';
import type { BreakerPermit } from '../resilience/breaker.types';
import { CircuitBreakerService } from '../resilience/circuit-breaker.service';
import type { Clock } from '../resilience/clock';
import { CLOCK } from '../resilience/clock';
import { ConnectionShare, callerConnectionLimit } from '../resilience/connection-share';
import { KeySelector } from '../resilience/key-selector.service';
import { authFailureBlamesKey, isRequestsOwnFailure } from '../resilience/request-fault';
import { RetryBudget } from '../resilience/retry-budget';
import { decideAfterFailure, fallbackReasonOf } from '../resilience/retry-policy';
import type { RouteTarget } from '../routing/model-resolver.service';
import type { RoutePlan } from '../routing/route-planner.service';
import { LatencyTracker } from '../routing/latency-tracker.service';
import type { BudgetHold, GateResult } from './budget-gate';
import type { ResponseMeta } from './call-result';
import type { RequestDeadline } from './request-deadline';

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
  operation: 'chat' | 'chat_stream' | 'embeddings';
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
  /** Called on a hedging loser that answered anyway, so it can be closed (a stream). */
  discard?(value: T): void;
  /**
   * Who is asking (the gateway key's id): its calls in flight per provider are capped at
   * its share of the pool. Absent: no share applies (no keys, or in-process callers).
   */
  caller?: string;
}

const DEFAULT_RETRY = { baseDelayMs: 250, maxDelayMs: 8_000, maxRetryAfterMs: 30_000 };

type TryResult<T> =
  | { ok: true; won: Won<T> }
  | { ok: false; error: GatewayError; skipped?: string; requestsOwn?: boolean };

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
  ) {}

  async execute<T>(run: Execution<T>): Promise<Won<T>> {
    const { candidates } = run.plan;
    let lastError: GatewayError | undefined;
    for (let index = 0; index < candidates.length; index++) {
      const target = candidates[index];
      const next = candidates[index + 1];
      if (run.plan.hedge.enabled && next && !lastError) {
        const hedged = await this.hedge(run, target, next, run.plan.hedge);
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

  /**
   * Starts `primary`; if it has not answered after the hedge delay, starts `secondary`
   * too and takes whichever answers first. The loser is aborted (its attempt settles as
   * cancelled) and both stay in the trace.
   */
  private async hedge<T>(
    run: Execution<T>,
    primary: RouteTarget,
    secondary: RouteTarget,
    hedge: HedgeConfig,
  ): Promise<TryResult<T>> {
    const delay =
      hedge.delayMs ??
      Math.max(
        hedge.minDelayMs,
        this.latency.p95Ttft(primary.provider, primary.model) ?? Number.POSITIVE_INFINITY,
      );
    const cancels: Array<((reason: GatewayError) => void) | undefined> = [];
    // A race decided before an attempt got going (keys and breakers are awaited first)
    // cancels that attempt as soon as it registers.
    const lost: Array<GatewayError | undefined> = [];
    const register =
      (i: number) =>
      (cancel: (reason: GatewayError) => void): void => {
        cancels[i] = cancel;
        const reason = lost[i];
        if (reason) cancel(reason);
      };
    const first = this.tryOnce(run, primary, 0, false, register(0));
    let timer: NodeJS.Timeout | undefined;
    const fired = new Promise<'hedge'>((resolve) => {
      if (Number.isFinite(delay)) timer = setTimeout(() => resolve('hedge'), delay);
    });
    const early = await Promise.race([first, fired]);
    if (timer) clearTimeout(timer);
    if (early !== 'hedge') {
      if (early.ok || early.skipped === undefined)
        return early.ok ? early : this.trySecondAfterFailure(run, early, secondary);
      return this.tryOnce(run, secondary, 0);
    }
    this.metrics.hedges.inc({ provider: primary.provider });
    const second = this.tryOnce(run, secondary, 0, true, register(1));
    const winner = await firstSuccess([first, second]);
    if (winner.ok) {
      const loser = winner.index === 0 ? second : first;
      const loserIndex = winner.index === 0 ? 1 : 0;
      lost[loserIndex] = new GatewayError(GatewayErrorCode.CANCELLED, 'Lost the hedge race');
      cancels[loserIndex]?.(lost[loserIndex]);
      // The trace must not say "pending" for the loser once the answer is out.
      for (const attempt of run.meta.attempts) {
        if (attempt.outcome === 'pending') attempt.outcome = GatewayErrorCode.CANCELLED;
      }
      void loser.then((result) => {
        if (result.ok) {
          run.discard?.(result.won.value);
          run.release?.(result.won.hold);
          result.won.settle(new GatewayError(GatewayErrorCode.CANCELLED, 'Lost the hedge race'));
        }
      });
      return winner.result;
    }
    return winner.result;
  }

  private async trySecondAfterFailure<T>(
    run: Execution<T>,
    failed: TryResult<T> & { ok: false },
    secondary: RouteTarget,
  ): Promise<TryResult<T>> {
    const reason = fallbackReasonOf(failed.error.code);
    if (reason === undefined || !run.plan.fallbackOn.includes(reason)) return failed;
    this.metrics.fallbacks.inc({
      provider: failed.error.provider ?? 'unknown',
      reason: failed.error.code,
    });
    return this.tryOnce(run, secondary, 0);
  }
}

/** The first successful result of several, or the last failure when all fail. */
async function firstSuccess<T>(
  tries: Array<Promise<TryResult<T>>>,
): Promise<{ ok: boolean; index: number; result: TryResult<T> }> {
  return new Promise((resolve) => {
    let pending = tries.length;
    let last: { ok: boolean; index: number; result: TryResult<T> } | undefined;
    tries.forEach((promise, index) => {
      void promise.then((result) => {
        if (result.ok) resolve({ ok: true, index, result });
        else {
          last = { ok: false, index, result };
          if (--pending === 0) resolve(last);
        }
      });
    });
  });
}

/** Failures that belong to the API key used, not to the provider. */
function isKeyFailure(error: GatewayError): boolean {
  return (
    error.upstreamStatus !== undefined &&
    (error.code === GatewayErrorCode.AUTH || error.code === GatewayErrorCode.RATE_LIMITED)
  );
}

function noop(): void {}

function asGatewayError(error: unknown, provider: string): GatewayError {
  if (error instanceof GatewayError) return error;
  return new GatewayError(GatewayErrorCode.INTERNAL, `Unexpected failure calling ${provider}`, {
    provider,
    cause: error,
  });
}
