import type { BudgetLimits } from '../shared/caller-limits';
import type { BudgetLevel, BudgetScope } from './budget.types';

/** Micro-dollars in one dollar. */
export const MICRO_USD_PER_USD = 1_000_000;

/** Dollars (as configured) to integer micro-dollars, rounded to the nearest micro-dollar. */
export function usdToMicro(usd: number): number {
  return Math.round(usd * MICRO_USD_PER_USD);
}

/** Micro-dollars as `$1.234567`, trailing zeros trimmed to cents (`$5.00`, `$0.0125`). */
export function formatMicroUsd(micro: number): string {
  const sign = micro < 0 ? '-' : '';
  const abs = Math.abs(micro);
  const whole = Math.floor(abs / MICRO_USD_PER_USD);
  const fraction = String(abs % MICRO_USD_PER_USD)
    .padStart(6, '0')
    .replace(/0{1,4}$/, '');
  return `${sign}$${whole}.${fraction.padEnd(2, '0')}`;
}

/** The levels of one owner's configured caps (none when nothing is set). */
export function levelsOf(scope: BudgetScope, id: string, limits?: BudgetLimits): BudgetLevel[] {
  if (!limits) return [];
  const levels: BudgetLevel[] = [];
  if (limits.dailyUsd !== undefined) {
    levels.push({ scope, id, limitMicroUsd: usdToMicro(limits.dailyUsd), period: 'daily' });
  }
  if (limits.monthlyUsd !== undefined) {
    levels.push({ scope, id, limitMicroUsd: usdToMicro(limits.monthlyUsd), period: 'monthly' });
  }
  if (limits.windowUsd !== undefined && limits.windowMs !== undefined) {
    levels.push({
      scope,
      id,
      limitMicroUsd: usdToMicro(limits.windowUsd),
      period: { windowMs: limits.windowMs },
    });
  }
  return levels;
}

/** `user "alice" daily budget`: names a level in messages and logs. */
export function describeLevel(level: BudgetLevel): string {
  const period =
    typeof level.period === 'object' ? `${level.period.windowMs} ms window` : level.period;
  return `${level.scope} "${level.id}" ${period} budget`;
}
