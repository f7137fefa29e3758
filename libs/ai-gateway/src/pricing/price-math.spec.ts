import type { ModelPrice, PriceTier } from './model-price';
import { costOf, microUsdToUsd, picoUsdPerToken, ratesFor, worstCaseCost } from './price-math';

function price(
  input: number,
  output: number,
  cached = input,
  cacheWrite = input,
  tiers?: PriceTier[],
): ModelPrice {
  return {
    provider: 'p',
    model: 'm',
    matchedModel: 'm',
    source: 'config',
    inputPerMTok: input,
    outputPerMTok: output,
    cachedInputPerMTok: cached,
    cacheWritePerMTok: cacheWrite,
    ...(tiers ? { tiers } : {}),
  };
}

const GPT_4O = price(2.5, 10, 1.25);
const GEMINI_25_PRO = price(1.25, 10, 0.125, 1.25, [
  {
    aboveInputTokens: 200_000,
    inputPerMTok: 2.5,
    outputPerMTok: 15,
    cachedInputPerMTok: 0.25,
    cacheWritePerMTok: 2.5,
  },
]);

describe('price math', () => {
  it('costs 1,234 prompt + 567 completion tokens at $2.50/$10.00 per M at exactly $0.008755', () => {
    // 1,234 × 2.5 = 3,085 µ$; 567 × 10 = 5,670 µ$
    expect(costOf(GPT_4O, { prompt: 1_234, completion: 567 })).toEqual({
      microUsd: 8_755,
      usd: 0.008755,
    });
  });

  it('bills cached prompt tokens, which the prompt count includes, at the cached rate', () => {
    // (1,000 − 400) × 2.5 = 1,500; 400 × 1.25 = 500; 100 × 10 = 1,000
    expect(costOf(GPT_4O, { prompt: 1_000, cached: 400, completion: 100 }).microUsd).toBe(3_000);
  });

  it('bills cache writes at the cache-write rate (Anthropic)', () => {
    const sonnet = price(3, 15, 0.3, 3.75);
    // (10,000 − 2,000 − 5,000) × 3 = 9,000; 2,000 × 0.3 = 600; 5,000 × 3.75 = 18,750; 500 × 15 = 7,500
    expect(
      costOf(sonnet, { prompt: 10_000, cached: 2_000, cacheWrite: 5_000, completion: 500 }),
    ).toEqual({ microUsd: 35_850, usd: 0.03585 });
  });

  it('rounds a settled cost to the nearest micro-dollar, half up', () => {
    const mini = price(0.15, 0.6);
    expect(costOf(mini, { prompt: 3, completion: 0 }).microUsd).toBe(0); // 0.45 µ$
    expect(costOf(mini, { prompt: 10, completion: 0 }).microUsd).toBe(2); // 1.5 µ$
    expect(costOf(price(0.5, 0), { prompt: 1, completion: 0 }).microUsd).toBe(1); // 0.5 µ$
  });

  it('stays exact where floating point would not: 0.1 + 0.2 per M', () => {
    // 1M × 0.1 + 1M × 0.2 = 300,000 µ$ exactly ($0.30, not 0.30000000000000004)
    expect(costOf(price(0.1, 0.2), { prompt: 1_000_000, completion: 1_000_000 })).toEqual({
      microUsd: 300_000,
      usd: 0.3,
    });
  });

  it('stays exact for large counts at high prices', () => {
    // 10M × $600 per M = $6,000 = 6,000,000,000 µ$
    expect(costOf(price(600, 600), { prompt: 10_000_000, completion: 0 }).microUsd).toBe(
      6_000_000_000,
    );
  });

  it('applies a long-context tier to every token once the prompt exceeds its threshold', () => {
    // At the threshold: 200,000 × 1.25 + 1,000 × 10 = 260,000 µ$
    expect(costOf(GEMINI_25_PRO, { prompt: 200_000, completion: 1_000 }).microUsd).toBe(260_000);
    // One token over: 200,001 × 2.5 + 1,000 × 15 = 515,002.5 → 515,003 µ$
    expect(costOf(GEMINI_25_PRO, { prompt: 200_001, completion: 1_000 }).microUsd).toBe(515_003);
    expect(ratesFor(GEMINI_25_PRO, 200_001).cachedInputPerMTok).toBe(0.25);
  });

  it('treats bad token counts as none and caps cached tokens at the prompt', () => {
    expect(costOf(GPT_4O, { prompt: Number.NaN, completion: -5 }).microUsd).toBe(0);
    // all 100 prompt tokens cached: 100 × 1.25 = 125
    expect(costOf(GPT_4O, { prompt: 100, cached: 500, completion: 0 }).microUsd).toBe(125);
  });

  it('reserves the worst case: full input rate, max tokens of output, rounded up', () => {
    // 1,234 × 2.5 + 1,000 × 10 = 13,085 µ$
    expect(worstCaseCost(GPT_4O, 1_234, 1_000)).toEqual({ microUsd: 13_085, usd: 0.013085 });
    // 3 × 0.15 = 0.45 µ$ → 1 µ$: a reservation never rounds below the cost
    expect(worstCaseCost(price(0.15, 0.6), 3, 0).microUsd).toBe(1);
    // the tier of the prompt applies: 250,000 × 2.5 + 8,192 × 15 = 747,880 µ$
    expect(worstCaseCost(GEMINI_25_PRO, 250_000, 8_192).microUsd).toBe(747_880);
  });

  it('converts per-million prices to exact integer pico-dollars per token', () => {
    expect(picoUsdPerToken(2.5)).toBe(2_500_000n);
    expect(picoUsdPerToken(0.075)).toBe(75_000n);
    expect(picoUsdPerToken(1.1)).toBe(1_100_000n);
    expect(microUsdToUsd(8_755)).toBe(0.008755);
  });
});
