/**
 * Caps of one owner as configured, in USD: each one set becomes a budget level. The shape
 * of `providers.<name>.budget`, `budgets.users.<id>`, `budgets.teams.<id>`, the defaults
 * and a gateway key's own budget.
 */
export interface BudgetLimits {
  dailyUsd?: number;
  monthlyUsd?: number;
  /** A cap per fixed window of `windowMs` (epoch-aligned), for custom reset periods. */
  windowUsd?: number;
  windowMs?: number;
}

/** A gateway key's own rate limits. */
export interface KeyLimits {
  requestsPerMinute?: number;
  tokensPerMinute?: number;
  concurrentRequests?: number;
}
