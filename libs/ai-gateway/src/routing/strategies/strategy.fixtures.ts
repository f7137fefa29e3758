import type { ModelInfoConfig } from '../../config/gateway-config.schema';
import type { Candidate, RequestRequirements, StrategyContext } from './strategy.types';

/** Test helpers for the strategy specs (kept out of the specs so each stays short). */
export function candidate(
  provider: string,
  index: number,
  extra: { info?: Partial<ModelInfoConfig>; weight?: number; model?: string } = {},
): Candidate {
  return {
    target: { provider, model: extra.model ?? 'm' },
    index,
    info: extra.info,
    weight: extra.weight,
  };
}

export function strategyContext(fields: Partial<StrategyContext> = {}): StrategyContext {
  const requirements: RequestRequirements = {
    tools: false,
    json: false,
    vision: false,
    promptTokens: 1_000,
    maxOutputTokens: 500,
  };
  return {
    requirements,
    stream: false,
    latency: { ewma: () => ({ samples: 0 }) },
    random: () => {
      throw new Error('this strategy should not draw a random number');
    },
    rotation: 0,
    ...fields,
  };
}

/** The providers of candidates, in order: what most assertions compare. */
export function providersOf(candidates: Candidate[]): string[] {
  return candidates.map((c) => c.target.provider);
}

/** Returns the given draws in turn, then fails: a test states every draw it expects. */
export function draws(...values: number[]): () => number {
  let next = 0;
  return () => {
    if (next >= values.length) throw new Error(`unexpected random draw #${next + 1}`);
    return values[next++];
  };
}

/** Small deterministic PRNG (mulberry32) for distribution checks. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
