import type { Cost, CostUsage, ModelPrice, PriceRates } from './model-price';

/*
 * Exact arithmetic: a price of P USD per million tokens is P × 10⁶ pico-dollars per token,
 * an integer for any price published with up to six decimals (all of them), so
 * tokens × rate is exact in BigInt and only the final conversion to micro-dollars rounds.
 * Handy identity for hand checks: tokens × (USD per M) = micro-dollars.
 */
const PICO_PER_MICRO = 1_000_000n;

/** Integer pico-dollars per token for a price in USD per million tokens. */
export function picoUsdPerToken(perMTok: number): bigint {
  return BigInt(Math.round(perMTok * 1_000_000));
}

/**
 * The rates that apply to a request whose prompt has `promptTokens` tokens: the last
 * tier whose threshold the prompt exceeds, else the base rates.
 */
export function ratesFor(price: ModelPrice, promptTokens: number): PriceRates {
  let rates: PriceRates = price;
  for (const tier of price.tiers ?? []) {
    if (promptTokens > tier.aboveInputTokens) rates = tier;
  }
  return rates;
}

/**
 * What a finished call cost. `usage.prompt` includes the cached and cache-written tokens
 * (OpenAI's convention, which the gateway's unified usage follows for every provider: the
 * Anthropic mapper adds `cache_read_input_tokens` and `cache_creation_input_tokens` to
 * `input_tokens`, which alone excludes them). So the uncached prompt tokens are
 * `prompt − cached − cacheWrite`, billed at the input rate; cached ones at the
 * cached-input rate; cache writes at the cache-write rate. Rounded to the nearest
 * micro-dollar (half up), once.
 */
export function costOf(price: ModelPrice, usage: CostUsage): Cost {
  const prompt = count(usage.prompt);
  const cached = min(count(usage.cached), prompt);
  const cacheWrite = min(count(usage.cacheWrite), prompt - cached);
  const rates = ratesFor(price, Number(prompt));
  const pico =
    (prompt - cached - cacheWrite) * picoUsdPerToken(rates.inputPerMTok) +
    cached * picoUsdPerToken(rates.cachedInputPerMTok) +
    cacheWrite * picoUsdPerToken(rates.cacheWritePerMTok) +
    count(usage.completion) * picoUsdPerToken(rates.outputPerMTok);
  return fromMicro((pico + PICO_PER_MICRO / 2n) / PICO_PER_MICRO);
}

/**
 * The most a call can cost before it is made, for budget reservations and
 * `maxCostPerRequest`: every prompt token at the full input rate (no cache discount is
 * known yet) and `maxTokens` completion tokens, at the tier of `promptTokens`. Rounded
 * up, so a reservation never falls short of the settled cost by rounding.
 */
export function worstCaseCost(price: ModelPrice, promptTokens: number, maxTokens: number): Cost {
  const prompt = count(promptTokens);
  const rates = ratesFor(price, Number(prompt));
  const pico =
    prompt * picoUsdPerToken(rates.inputPerMTok) +
    count(maxTokens) * picoUsdPerToken(rates.outputPerMTok);
  return fromMicro((pico + PICO_PER_MICRO - 1n) / PICO_PER_MICRO);
}

/** Dollars for display from integer micro-dollars. */
export function microUsdToUsd(microUsd: number): number {
  return microUsd / 1_000_000;
}

function fromMicro(micro: bigint): Cost {
  const microUsd = Number(micro);
  return { microUsd, usd: microUsdToUsd(microUsd) };
}

/** Token counts come from providers: anything but a non-negative number counts as none. */
function count(tokens: number | undefined): bigint {
  return tokens !== undefined && Number.isFinite(tokens) && tokens > 0
    ? BigInt(Math.floor(tokens))
    : 0n;
}

function min(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}
