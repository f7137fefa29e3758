import type { GatewayConfig } from '../config/gateway-config.schema';

/** The `budgets` settings `BudgetService` reads on every call (so a reload applies). */
export interface BudgetSettings {
  /** Admit requests unchecked while the budget store is unreachable (default: refuse). */
  failOpen: boolean;
  /** How long a reservation counts without a settle: longer than any request may run. */
  reservationTtlMs: number;
  /** Retry-After of a refusal while the store is unreachable (fail closed). */
  unavailableRetryAfterMs: number;
}

export const DEFAULT_BUDGET_SETTINGS: Readonly<BudgetSettings> = {
  failOpen: false,
  reservationTtlMs: 300_000,
  unavailableRetryAfterMs: 2_000,
};

/**
 * The `budgets` section of the configuration with defaults filled in. Read
 * structurally until the schema carries the section, so this code needs no change when
 * it does.
 */
export function budgetSettingsOf(config: GatewayConfig): BudgetSettings {
  const section = (config as GatewayConfig & { budgets?: Partial<BudgetSettings> }).budgets;
  return {
    failOpen: section?.failOpen ?? DEFAULT_BUDGET_SETTINGS.failOpen,
    reservationTtlMs: section?.reservationTtlMs ?? DEFAULT_BUDGET_SETTINGS.reservationTtlMs,
    unavailableRetryAfterMs:
      section?.unavailableRetryAfterMs ?? DEFAULT_BUDGET_SETTINGS.unavailableRetryAfterMs,
  };
}
