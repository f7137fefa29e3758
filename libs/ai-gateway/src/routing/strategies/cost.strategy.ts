import type { Candidate, RequestRequirements, StrategyContext } from './strategy.types';

/**
 * Expected cost of this request on a candidate, in USD: estimated prompt tokens × input
 * price + expected output tokens (`max_tokens`, or the default) × output price. Undefined
 * when the model has no input or no output price.
 */
export function expectedCostUsd(
  candidate: Candidate,
  needs: RequestRequirements,
): number | undefined {
  const input = candidate.info?.inputCostPerMTok;
  const output = candidate.info?.outputCostPerMTok;
  if (input === undefined || output === undefined) return undefined;
  return (needs.promptTokens * input + needs.maxOutputTokens * output) / 1_000_000;
}

/**
 * Cheapest expected cost for this request first. Unpriced candidates go last, in resolved
 * order: an unknown price is not a free one.
 */
export function costStrategy(candidates: Candidate[], ctx: StrategyContext): Candidate[] {
  return candidates
    .map((candidate) => ({
      candidate,
      cost: expectedCostUsd(candidate, ctx.requirements) ?? Infinity,
    }))
    .sort((a, b) => a.cost - b.cost || a.candidate.index - b.candidate.index)
    .map((entry) => entry.candidate);
}
