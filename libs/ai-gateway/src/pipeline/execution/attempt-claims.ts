import { Injectable } from '@nestjs/common';
import type { ProviderConfig } from '../../config/gateway-config.schema';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import { GatewayMetrics } from '../../observability/gateway-metrics.service';
import type { ProviderAdapter } from '../../providers/provider-adapter.interface';
import { ProviderRegistry } from '../../providers/provider-registry.service';
import type { BreakerPermit } from '../../resilience/breaker.types';
import type { CircuitPermit } from '../../resilience/circuit-breaker.service';
import { CircuitBreakerService } from '../../resilience/circuit-breaker.service';
import { ConnectionShare, callerConnectionLimit } from '../../resilience/connection-share';
import type { PickedKey } from '../../resilience/key-selector.service';
import { KeySelector } from '../../resilience/key-selector.service';
import type { RouteTarget } from '../../routing/model-resolver.service';
import type { Clock } from '../../shared/clock';
import { InjectClock } from '../../shared/clock';
import type { BudgetHold } from '../admission/budget-gate';
import type { Execution, TryResult } from './execution.types';

/** Everything one attempt holds before its call goes out; all of it is given back once. */
export interface AttemptClaim {
  adapter: ProviderAdapter;
  picked: PickedKey;
  permit: CircuitPermit;
  /** The budget reservation for this attempt, settled with the actual cost. */
  hold?: BudgetHold;
  /** Frees the caller's slot in the provider's pool (see `ConnectionShare`). */
  releaseShare(): void;
}

/** A claim, or the try's result when the target cannot be tried now. */
export type ClaimResult<T> = { ok: true; claim: AttemptClaim } | (TryResult<T> & { ok: false });

/**
 * What must be taken before a provider is called, in order: the adapter, the caller's
 * share of its pool, the budget reservation, a key that is not resting, the breaker's
 * permit. A target that cannot take the request is skipped (recorded in the trace) and
 * whatever was taken for it is given back.
 */
@Injectable()
export class AttemptClaims {
  constructor(
    private readonly registry: ProviderRegistry,
    private readonly shares: ConnectionShare,
    private readonly keys: KeySelector,
    private readonly breakers: CircuitBreakerService,
    private readonly metrics: GatewayMetrics,
    @InjectClock() private readonly clock: Clock,
  ) {}

  async claim<T>(run: Execution<T>, target: RouteTarget, retry: number): Promise<ClaimResult<T>> {
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
    return { ok: true, claim: { adapter, picked, permit, hold, releaseShare } };
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
  ): ClaimResult<T> {
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
  ): ClaimResult<T> {
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
