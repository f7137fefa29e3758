import { Injectable, Logger } from '@nestjs/common';
import { GatewayConfigService } from '../config/gateway-config.service';
import { isGatewayError } from '../errors/gateway.error';
import type { Clock } from '../shared/clock';
import { InjectClock } from '../shared/clock';
import { describeLevel, formatMicroUsd } from './budget-levels';
import { budgetSettingsOf } from './budget-settings';
import type {
  BudgetDenial,
  BudgetLevel,
  BudgetStore,
  BudgetUsage,
  FinishOutcome,
} from './budget.types';
import { InjectBudgetStore } from './budget.types';

/** A level had no room: no provider call (user/team/key → 429; provider → skip it). */
export interface BudgetExceeded extends Omit<BudgetDenial, 'ok'> {
  outcome: 'exceeded';
  /** What the request asked to hold. */
  requestedMicroUsd: number;
  /** For the caller: which budget, how much is used, when it resets. */
  message: string;
}

/** The store was unreachable and budgets fail closed (→ 503 with Retry-After). */
export interface BudgetUnavailable {
  outcome: 'unavailable';
  retryAfterMs: number;
  message: string;
}

/**
 * The answer to "may this request spend up to its worst case?": `reserved` (settle or
 * release it later), `unchecked` (store unreachable, failing open: nothing is held and
 * the spending is not counted), or a refusal.
 */
export type BudgetDecision =
  { outcome: 'reserved' } | { outcome: 'unchecked' } | BudgetExceeded | BudgetUnavailable;

/** What `settle` and `release` report; `failed` when the store could not be reached. */
export type BudgetFinish = FinishOutcome | 'failed';

export interface ReserveOptions {
  /** How long the hold counts without a settle; default `budgets.reservationTtlMs`. */
  ttlMs?: number;
}

/** True when the request may go ahead. */
export function isAdmitted(decision: BudgetDecision): boolean {
  return decision.outcome === 'reserved' || decision.outcome === 'unchecked';
}

/**
 * Budget enforcement for the request path: reserve the worst-case cost on every level
 * that applies before the provider call, settle the actual cost after it, release on
 * failure. The store (`BUDGET_STORE`, Redis when configured) makes it exact across
 * instances; this service adds the policy for a store that cannot be reached:
 * `budgets.failOpen` false (default) refuses with `unavailable`, true admits
 * `unchecked`. `settle` and `release` never throw: an unreachable store leaves the hold
 * to expire after its TTL.
 */
@Injectable()
export class BudgetService {
  private readonly logger = new Logger(BudgetService.name);
  private storeFailing = false;

  constructor(
    private readonly config: GatewayConfigService,
    @InjectClock() private readonly clock: Clock,
    @InjectBudgetStore() private readonly store: BudgetStore,
  ) {}

  /**
   * Holds `amountMicroUsd` on every level, all or none. No levels: `reserved` without
   * a store call (then settle and release answer `unknown`: skip them). Invalid
   * arguments and a reused request id throw `GatewayError(INTERNAL)`.
   */
  async reserve(
    requestId: string,
    levels: readonly BudgetLevel[],
    amountMicroUsd: number,
    options: ReserveOptions = {},
  ): Promise<BudgetDecision> {
    if (levels.length === 0) return { outcome: 'reserved' };
    const settings = budgetSettingsOf(this.config.current);
    const ttlMs = options.ttlMs ?? settings.reservationTtlMs;
    try {
      const result = await this.store.reserve(
        requestId,
        levels,
        amountMicroUsd,
        ttlMs,
        this.clock.now(),
      );
      this.reachable();
      if (result.ok) return { outcome: 'reserved' };
      return exceeded(result, amountMicroUsd);
    } catch (error) {
      if (isGatewayError(error)) throw error;
      this.unreachable('reserve', error);
      if (settings.failOpen) return { outcome: 'unchecked' };
      // The script may have run although its reply was lost (a command timeout): hand
      // a hold back now rather than after its TTL. Best effort, and quiet: Redis is down.
      this.store.release(requestId, this.clock.now()).catch(() => undefined);
      return {
        outcome: 'unavailable',
        retryAfterMs: settings.unavailableRetryAfterMs,
        message: 'Budgets cannot be checked right now; retry shortly.',
      };
    }
  }

  /** Charges the actual cost and frees the rest of the hold; idempotent by request id. */
  settle(requestId: string, actualMicroUsd: number): Promise<BudgetFinish> {
    return this.finish('settle', requestId, () =>
      this.store.settle(requestId, actualMicroUsd, this.clock.now()),
    );
  }

  /** Frees the whole hold (the call failed or never happened). */
  release(requestId: string): Promise<BudgetFinish> {
    return this.finish('release', requestId, () => this.store.release(requestId, this.clock.now()));
  }

  /** Spent, reserved and remaining per level (for headroom checks and status pages). */
  usage(levels: readonly BudgetLevel[]): Promise<BudgetUsage[]> {
    return this.store.usage(levels, this.clock.now());
  }

  private async finish(
    operation: 'settle' | 'release',
    requestId: string,
    call: () => Promise<FinishOutcome>,
  ): Promise<BudgetFinish> {
    try {
      const outcome = await call();
      this.reachable();
      return outcome;
    } catch (error) {
      if (isGatewayError(error)) throw error;
      this.unreachable(operation, error);
      if (operation === 'settle') {
        // The usage log still has the cost; the live budget undercounts it.
        this.logger.warn({ msg: 'budget settle lost; its hold expires on its own', requestId });
      }
      return 'failed';
    }
  }

  private reachable(): void {
    if (!this.storeFailing) return;
    this.storeFailing = false;
    this.logger.log({ msg: 'budget store reachable again' });
  }

  /** Logs once per outage, not once per request. */
  private unreachable(operation: string, error: unknown): void {
    if (this.storeFailing) return;
    this.storeFailing = true;
    const policy = budgetSettingsOf(this.config.current).failOpen ? 'open' : 'closed';
    this.logger.warn({
      msg: `budget store unavailable: budgets fail ${policy}`,
      operation,
      error: error instanceof Error ? error.message : String(error),
    });
  }
}

function exceeded(denial: BudgetDenial, requested: number): BudgetExceeded {
  const { ok: _ok, ...figures } = denial;
  const used =
    denial.reservedMicroUsd > 0
      ? `${formatMicroUsd(denial.spentMicroUsd)} spent and ` +
        `${formatMicroUsd(denial.reservedMicroUsd)} held by requests in flight`
      : `${formatMicroUsd(denial.spentMicroUsd)} spent`;
  return {
    outcome: 'exceeded',
    ...figures,
    requestedMicroUsd: requested,
    message:
      `Budget exceeded: ${describeLevel(denial.level)} of ` +
      `${formatMicroUsd(denial.limitMicroUsd)} has ${used}; this request may cost up to ` +
      `${formatMicroUsd(requested)}. It resets at ${new Date(denial.resetsAt).toISOString()}.`,
  };
}
