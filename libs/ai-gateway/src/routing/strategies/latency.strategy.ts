import type { Candidate, StrategyContext } from './strategy.types';
import { byIndex } from './strategy.types';

/** Share of requests that try a measured, not-fastest candidate first (epsilon-greedy). */
export const LATENCY_EXPLORE_RATE = 0.05;

/**
 * Fastest measured candidate first, by the EWMA of time to first token for streams (of the
 * total latency when no TTFT was ever seen, e.g. a provider that only failed) and of the
 * total latency otherwise.
 *
 * Unmeasured candidates go first, in resolved order, so that each gets measured once.
 * After that, with probability `LATENCY_EXPLORE_RATE` one of the slower candidates (chosen
 * uniformly) is moved to the front: an average only moves when its candidate is served, so
 * without exploring, a provider that had one slow spell would never be tried again and its
 * estimate would never recover. Both draws come from `ctx.random`.
 */
export function latencyStrategy(candidates: Candidate[], ctx: StrategyContext): Candidate[] {
  const unmeasured: Candidate[] = [];
  const measured: Array<{ candidate: Candidate; ms: number }> = [];
  for (const candidate of candidates) {
    const estimate = ctx.latency.ewma(candidate.target.provider, candidate.target.model);
    const ms = ctx.stream ? (estimate.ttftMs ?? estimate.latencyMs) : estimate.latencyMs;
    if (ms === undefined) unmeasured.push(candidate);
    else measured.push({ candidate, ms });
  }
  unmeasured.sort(byIndex);
  const ranked = measured
    .sort((a, b) => a.ms - b.ms || a.candidate.index - b.candidate.index)
    .map((entry) => entry.candidate);

  if (unmeasured.length === 0 && ranked.length > 1 && ctx.random() < LATENCY_EXPLORE_RATE) {
    const pick = 1 + Math.floor(ctx.random() * (ranked.length - 1));
    ranked.unshift(...ranked.splice(pick, 1));
  }
  return unmeasured.length === 0 ? ranked : [...unmeasured, ...ranked];
}
