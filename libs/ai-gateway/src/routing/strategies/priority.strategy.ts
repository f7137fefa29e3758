import type { Candidate, StrategyContext } from './strategy.types';
import { byIndex } from './strategy.types';

/**
 * The resolved order itself: a route's config order; for a bare model the providers'
 * `priority`, then config order (the planner numbers candidates that way).
 */
export function priorityStrategy(candidates: Candidate[], _ctx: StrategyContext): Candidate[] {
  return [...candidates].sort(byIndex);
}
