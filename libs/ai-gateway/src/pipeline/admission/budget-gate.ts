import { Injectable, Logger } from '@nestjs/common';
import { traceEvent } from '../../observability/tracing/request-tracing';
import { levelsOf, usdToMicro } from '../../budget/budget-levels';
import { BudgetService } from '../../budget/budget.service';
import type { BudgetLevel } from '../../budget/budget.types';
import { GatewayConfigService } from '../../config/gateway-config.service';
import { GatewayErrorCode } from '../../errors/gateway-error-code';
import { GatewayError } from '../../errors/gateway.error';
import { PriceBook } from '../../pricing/price-book.service';
import type { RouteTarget } from '../../routing/model-resolver.service';
import type { UsageTokens } from '../../types/unified';
import type { CallOptions, Caller } from '../../shared/call-result';
import type { RequestTokens } from './request-tokens';

/** A reservation held for one attempt, settled with the actual cost afterwards. */
export interface BudgetHold {
  id: string;
  worstMicroUsd: number;
}

/** What the gate says about one attempt. */
export type GateResult =
  | { kind: 'go'; hold?: BudgetHold }
  | { kind: 'skip'; reason: string }
  | { kind: 'fail'; error: GatewayError };

/**
 * Budgets on the request path: before each attempt, reserve the worst-case cost of this
 * request on this target (prompt tokens × input price + max output tokens × output
 * price) on every level that applies — the provider's caps, the caller's user and team —
 * in one atomic step; after it, settle the actual cost (or release on failure). With no
 * budget configured for a call, nothing is counted or stored (the hot path stays cheap).
 */
@Injectable()
export class BudgetGate {
  private readonly logger = new Logger(BudgetGate.name);

  constructor(
    private readonly config: GatewayConfigService,
    private readonly budgets: BudgetService,
    private readonly prices: PriceBook,
  ) {}

  async reserve(
    tokens: RequestTokens,
    options: Pick<CallOptions, 'caller' | 'maxCostPerRequestUsd'>,
    target: RouteTarget,
    attemptId: string,
  ): Promise<GateResult> {
    const levels = this.levelsFor(options.caller, target.provider);
    const maxMicroUsd = this.maxCostOf(options);
    if (levels.length === 0 && maxMicroUsd === undefined) return { kind: 'go' };
    const worstMicroUsd = await this.worstCase(tokens, target);
    // A cap per request: a model whose worst case could exceed it (or whose price is
    // unknown, so no bound holds) is skipped and the chain goes on.
    if (maxMicroUsd !== undefined && (worstMicroUsd === undefined || worstMicroUsd > maxMicroUsd)) {
      return { kind: 'skip', reason: 'max_cost' };
    }
    if (levels.length === 0) return { kind: 'go' };
    const { reservationTtlMs } = this.config.current.budgets;
    const decision = await this.budgets.reserve(attemptId, levels, worstMicroUsd ?? 0, {
      ttlMs: reservationTtlMs,
    });
    traceEvent('gateway.budget', () => ({
      'gateway.budget.decision': decision.outcome,
      'gateway.budget.provider': target.provider,
      'gateway.budget.levels': levels.length,
      'gateway.budget.worst_case_usd': (worstMicroUsd ?? 0) / 1_000_000,
      ...(decision.outcome === 'exceeded'
        ? { 'gateway.budget.level': `${decision.level.scope}:${decision.level.id}` }
        : {}),
    }));
    switch (decision.outcome) {
      case 'reserved':
        return { kind: 'go', hold: { id: attemptId, worstMicroUsd: worstMicroUsd ?? 0 } };
      case 'unchecked':
        return { kind: 'go' };
      case 'exceeded':
        // A provider over its cap is skipped and the chain goes on; a caller's own
        // budget stops the request before any provider is paid.
        if (decision.level.scope === 'provider') return { kind: 'skip', reason: 'budget_cap' };
        return {
          kind: 'fail',
          error: new GatewayError(GatewayErrorCode.BUDGET_EXCEEDED, decision.message, {
            retryable: false,
            retryAfterMs: Math.max(0, decision.resetsAt - Date.now()),
          }),
        };
      case 'unavailable':
        return {
          kind: 'fail',
          error: new GatewayError(GatewayErrorCode.BUDGET_UNAVAILABLE, decision.message, {
            retryable: true,
            retryAfterMs: decision.retryAfterMs,
          }),
        };
    }
  }

  /** Charges what the attempt really cost; unknown usage charges the reservation. */
  settle(hold: BudgetHold | undefined, actualMicroUsd: number | undefined): void {
    if (!hold) return;
    void this.budgets.settle(hold.id, actualMicroUsd ?? hold.worstMicroUsd);
  }

  release(hold: BudgetHold | undefined): void {
    if (hold) void this.budgets.release(hold.id);
  }

  /** Cost of actual usage on a target, or undefined when the model is unpriced. */
  costOf(
    target: RouteTarget,
    usage: UsageTokens | undefined,
  ): { microUsd: number; source: string } | undefined {
    const price = this.prices.priceOf(target.provider, target.model);
    if (!price) return undefined;
    if (!usage) return { microUsd: 0, source: price.source };
    const cost = this.prices.costOf(price, usage);
    return { microUsd: cost.microUsd, source: price.source };
  }

  /**
   * Refuses work whose cost is known only afterwards (a batch) when a budget of the
   * caller or the provider has no room left now: 429 `budget_exceeded` (503
   * `budget_unavailable` when budgets cannot be checked). Holds nothing.
   */
  async assertHeadroom(caller: Caller | undefined, provider: string, id: string): Promise<void> {
    const levels = this.levelsFor(caller, provider);
    if (levels.length === 0) return;
    const { reservationTtlMs } = this.config.current.budgets;
    // One micro-dollar: a budget with no room at all (spent, or a cap of zero) refuses.
    const decision = await this.budgets.reserve(id, levels, 1, { ttlMs: reservationTtlMs });
    switch (decision.outcome) {
      case 'reserved':
        await this.budgets.release(id);
        return;
      case 'unchecked':
        return;
      case 'exceeded':
        throw new GatewayError(GatewayErrorCode.BUDGET_EXCEEDED, decision.message, {
          retryable: false,
          retryAfterMs: Math.max(0, decision.resetsAt - Date.now()),
        });
      case 'unavailable':
        throw new GatewayError(GatewayErrorCode.BUDGET_UNAVAILABLE, decision.message, {
          retryable: true,
          retryAfterMs: decision.retryAfterMs,
        });
    }
  }

  /**
   * Charges a cost learnt after the fact (a batch that ran at the provider) to each
   * budget level of `caller` and `provider` on its own, once per `chargeId`, so one level
   * already spent does not spare the others. A level already past its limit does not take
   * it (it refuses new work anyway); the usage row records the cost either way. Resolves
   * false when budgets could not be reached at all (nothing was charged: try again later).
   */
  async chargeAfter(
    caller: Caller | undefined,
    provider: string,
    chargeId: string,
    microUsd: number,
  ): Promise<boolean> {
    const levels = this.levelsFor(caller, provider);
    if (levels.length === 0 || microUsd <= 0) return true;
    const { reservationTtlMs } = this.config.current.budgets;
    let reached = false;
    for (const [i, level] of levels.entries()) {
      const id = `${chargeId}#${i}`;
      const decision = await this.budgets.reserve(id, [level], 0, { ttlMs: reservationTtlMs });
      if (decision.outcome !== 'unavailable') reached = true;
      if (decision.outcome === 'reserved') await this.budgets.settle(id, microUsd);
      else
        this.logger.warn({
          msg: 'late charge not counted',
          chargeId: id,
          outcome: decision.outcome,
        });
    }
    return reached;
  }

  /** The per-request cost cap in micro-dollars: the lower of the config's and the call's. */
  private maxCostOf(options: Pick<CallOptions, 'maxCostPerRequestUsd'>): number | undefined {
    const configured = this.config.current.budgets.maxCostPerRequestUsd;
    const asked = options.maxCostPerRequestUsd;
    if (configured === undefined && asked === undefined) return undefined;
    return usdToMicro(Math.min(configured ?? Infinity, asked ?? Infinity));
  }

  private levelsFor(caller: Caller | undefined, provider: string): BudgetLevel[] {
    const { providers, budgets } = this.config.current;
    const levels = levelsOf('provider', provider, ownEntry(providers, provider)?.budget);
    if (caller?.keyId && caller.keyBudget) {
      levels.push(...levelsOf('key', caller.keyId, caller.keyBudget));
    }
    if (caller?.userId) {
      levels.push(
        ...levelsOf(
          'user',
          caller.userId,
          ownEntry(budgets.users, caller.userId) ?? budgets.defaultUser,
        ),
      );
    }
    if (caller?.teamId) {
      levels.push(
        ...levelsOf(
          'team',
          caller.teamId,
          ownEntry(budgets.teams, caller.teamId) ?? budgets.defaultTeam,
        ),
      );
    }
    return levels;
  }

  /** Worst-case cost of the request on the target; undefined when the model is unpriced. */
  private async worstCase(tokens: RequestTokens, target: RouteTarget): Promise<number | undefined> {
    const price = this.prices.priceOf(target.provider, target.model);
    if (!price) {
      this.logger.warn({
        msg: 'unpriced model: its calls are not held against budgets',
        provider: target.provider,
        model: target.model,
      });
      return undefined;
    }
    const prompt = await tokens.promptAsync(target);
    return this.prices.worstCaseCost(price, prompt, tokens.maxOutput(target)).microUsd;
  }
}

/** A map's own entry for a caller-given name: `toString` finds nothing, as any unknown name. */
function ownEntry<T>(map: Readonly<Record<string, T>>, name: string): T | undefined {
  return Object.hasOwn(map, name) ? map[name] : undefined;
}
