import type { Candidate, StrategyContext } from './strategy.types';

/**
 * Smallest sufficient context window first; candidates with an unknown window last, in
 * resolved order. The planner has already dropped the models that cannot take the request
 * (features, window), so the first one is the smallest that fits — usually the cheapest and
 * fastest — and the larger ones behind it are where a context-length overflow falls back to.
 */
export function capabilityStrategy(candidates: Candidate[], _ctx: StrategyContext): Candidate[] {
  return [...candidates].sort(
    (a, b) =>
      (a.info?.contextWindow ?? Infinity) - (b.info?.contextWindow ?? Infinity) ||
      a.index - b.index,
  );
}
