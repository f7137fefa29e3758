import { Injectable } from '@nestjs/common';
import { levelsOf, MICRO_USD_PER_USD } from '../budget/budget-levels';
import { BudgetService } from '../budget/budget.service';
import type { BudgetLevel, BudgetScope } from '../budget/budget.types';
import type { RateLimitConfig } from '../config/rate-limit-config.schema';
import { GatewayConfigService } from '../config/gateway-config.service';
import { GatewayKeys } from '../keys/gateway-keys.service';
import type { BudgetLimits } from '../shared/caller-limits';

/** One configured budget and where its current period stands (`GET /v1/admin/budgets`). */
export interface BudgetStatusReport {
  scope: BudgetScope;
  /** The provider, key id, user or team. */
  id: string;
  /** `daily`, `monthly` or `<n> ms` for a sliding window. */
  window: string;
  limitUsd: number;
  spentUsd: number;
  /** Held by requests in flight. */
  reservedUsd: number;
  remainingUsd: number;
  /** When the period started and when it resets, ISO-8601. */
  periodStart: string;
  resetsAt: string;
  /** `config` (the YAML file), `default` (a `defaultUser`/`defaultTeam` cap met through a key) or `key`. */
  source: 'config' | 'default' | 'key';
}

/** One scope's configured rate limits (`GET /v1/admin/limits`). */
export interface RateLimitReport {
  /** `global`, `key`, `user`, `team`, `model`, `ip`, or `defaultKey`/`defaultUser`/`defaultTeam`. */
  scope: string;
  /** The key id, user, team or model; null for a scope that has one value. */
  id: string | null;
  limits: Record<string, number | string>;
  source: 'config' | 'key';
}

interface Owned {
  level: BudgetLevel;
  source: BudgetStatusReport['source'];
}

/**
 * What the operator console's budgets page shows: every configured budget (providers'
 * caps, users', teams' and keys' budgets) with its spending in the current period, read
 * from the budget store every instance shares; and the rate limits as configured, per
 * scope. Users and teams under a default budget are listed when a key names them.
 */
@Injectable()
export class SpendingReport {
  constructor(
    private readonly config: GatewayConfigService,
    private readonly keys: GatewayKeys,
    private readonly budgetService: BudgetService,
  ) {}

  async budgets(): Promise<BudgetStatusReport[]> {
    const owned = await this.levels();
    const usage = await this.budgetService.usage(owned.map(({ level }) => level));
    return usage.map((entry, i) => ({
      scope: entry.level.scope,
      id: entry.level.id,
      window: windowOf(entry.level),
      limitUsd: usd(entry.limitMicroUsd),
      spentUsd: usd(entry.spentMicroUsd),
      reservedUsd: usd(entry.reservedMicroUsd),
      remainingUsd: usd(entry.remainingMicroUsd),
      periodStart: new Date(entry.periodStart).toISOString(),
      resetsAt: new Date(entry.resetsAt).toISOString(),
      source: owned[i].source,
    }));
  }

  async limits(): Promise<RateLimitReport[]> {
    const config = this.config.current.rateLimits;
    const reports: RateLimitReport[] = [];
    const add = (scope: string, id: string | null, limits: RateLimitConfig | undefined) => {
      const values = limitsOf(limits);
      if (values) reports.push({ scope, id, limits: values, source: 'config' });
    };
    add('global', null, config.global);
    add('ip', null, config.ip);
    add('defaultKey', null, config.defaultKey);
    add('defaultUser', null, config.defaultUser);
    add('defaultTeam', null, config.defaultTeam);
    for (const [id, limits] of Object.entries(config.users)) add('user', id, limits);
    for (const [id, limits] of Object.entries(config.teams)) add('team', id, limits);
    for (const [id, limits] of Object.entries(config.models)) add('model', id, limits);
    for (const key of await this.keys.list()) {
      const values = limitsOf(key.limits ?? undefined);
      if (values) reports.push({ scope: 'key', id: key.id, limits: values, source: 'key' });
    }
    return reports;
  }

  private async levels(): Promise<Owned[]> {
    const config = this.config.current;
    const owned: Owned[] = [];
    const add = (
      scope: BudgetScope,
      id: string,
      limits: BudgetLimits | null | undefined,
      source: Owned['source'],
    ) => {
      for (const level of levelsOf(scope, id, limits ?? undefined)) owned.push({ level, source });
    };
    for (const [name, provider] of Object.entries(config.providers)) {
      add('provider', name, provider.budget, 'config');
    }
    const users = new Set(Object.keys(config.budgets.users));
    const teams = new Set(Object.keys(config.budgets.teams));
    for (const [id, limits] of Object.entries(config.budgets.users))
      add('user', id, limits, 'config');
    for (const [id, limits] of Object.entries(config.budgets.teams))
      add('team', id, limits, 'config');
    for (const key of await this.keys.list()) {
      add('key', key.id, key.budget, 'key');
      if (key.userId && !users.has(key.userId)) {
        users.add(key.userId);
        add('user', key.userId, config.budgets.defaultUser, 'default');
      }
      if (key.teamId && !teams.has(key.teamId)) {
        teams.add(key.teamId);
        add('team', key.teamId, config.budgets.defaultTeam, 'default');
      }
    }
    return owned;
  }
}

function limitsOf(
  limits: RateLimitConfig | undefined,
): Record<string, number | string> | undefined {
  if (!limits) return undefined;
  const values = Object.fromEntries(
    Object.entries(limits).filter(
      ([, value]) => typeof value === 'number' || typeof value === 'string',
    ),
  ) as Record<string, number | string>;
  return Object.keys(values).length > 0 ? values : undefined;
}

function windowOf(level: BudgetLevel): string {
  return typeof level.period === 'object' ? `${level.period.windowMs} ms` : level.period;
}

function usd(micro: number): number {
  return micro / MICRO_USD_PER_USD;
}
