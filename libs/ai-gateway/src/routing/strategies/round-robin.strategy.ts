import type { Candidate, StrategyContext } from './strategy.types';
import { byIndex } from './strategy.types';

/**
 * The resolved order, started at the route's turn: with candidates [a, b, c], rotation 0
 * gives a b c, rotation 1 gives b c a, rotation 4 gives b c a. The rest of the ring stays
 * behind the first as its fallback order.
 */
export function roundRobinStrategy(candidates: Candidate[], ctx: StrategyContext): Candidate[] {
  const ordered = [...candidates].sort(byIndex);
  if (ordered.length < 2) return ordered;
  const start = ((ctx.rotation % ordered.length) + ordered.length) % ordered.length;
  return start === 0 ? ordered : [...ordered.slice(start), ...ordered.slice(0, start)];
}
