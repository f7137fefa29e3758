import type { Candidate, StrategyContext } from './strategy.types';
import { byIndex } from './strategy.types';

/**
 * Weighted random order without replacement: the first candidate is drawn with probability
 * weight / total, the next from the rest the same way, and so on, so that the fallback
 * order follows the weights too. Weight absent means 1; weight 0 (or negative, or not a
 * number) is never drawn and goes last, in resolved order, as a fallback only. One
 * `ctx.random` draw per position while two or more weighted candidates remain.
 */
export function weightedStrategy(candidates: Candidate[], ctx: StrategyContext): Candidate[] {
  const pool: Candidate[] = [];
  const weights: number[] = [];
  const idle: Candidate[] = [];
  for (const candidate of [...candidates].sort(byIndex)) {
    const weight = candidate.weight ?? 1;
    if (weight > 0 && Number.isFinite(weight)) {
      pool.push(candidate);
      weights.push(weight);
    } else {
      idle.push(candidate);
    }
  }

  const ordered: Candidate[] = [];
  let total = weights.reduce((sum, weight) => sum + weight, 0);
  while (pool.length > 1) {
    const draw = ctx.random() * total;
    let pick = 0;
    let cumulative = weights[0];
    // Rounding can leave `draw` at or past the last sum: the last candidate takes it.
    while (draw >= cumulative && pick < pool.length - 1) {
      pick += 1;
      cumulative += weights[pick];
    }
    ordered.push(pool[pick]);
    total -= weights[pick];
    pool.splice(pick, 1);
    weights.splice(pick, 1);
  }
  return [...ordered, ...pool, ...idle];
}
