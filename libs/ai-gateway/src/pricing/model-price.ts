/**
 * Where a price came from: the maintained npm catalog (with its version), the pricing
 * file shipped in this folder, the gateway configuration, or the built-in fake provider.
 */
export type PriceSource = `genai-prices@${string}` | 'pricing file' | 'config' | 'fake';

/** Prices of one model in USD per million tokens, as sources publish them. */
export interface PriceRates {
  inputPerMTok: number;
  outputPerMTok: number;
  /** Prompt tokens read from the provider's cache. */
  cachedInputPerMTok: number;
  /** Prompt tokens written to the provider's cache (Anthropic bills them above input). */
  cacheWritePerMTok: number;
}

/**
 * Long-context pricing: once a prompt has MORE than `aboveInputTokens` tokens (cached
 * ones included), every token of the request, output too, is billed at these rates —
 * not only the tokens past the threshold. This is how Google and Anthropic bill it and
 * how genai-prices models it.
 */
export interface PriceTier extends PriceRates {
  aboveInputTokens: number;
}

/** What one model of one provider costs, and why the gateway believes so. */
export interface ModelPrice extends PriceRates {
  /** Provider config name. */
  provider: string;
  /** The model id that was asked for. */
  model: string;
  /** The catalog entry that priced it (`gpt-4o` for `gpt-4o-2024-08-06`); for config, the model. */
  matchedModel: string;
  source: PriceSource;
  /**
   * For a config price over a catalog price: the catalog's source, where the rates the
   * config leaves out came from (the cache-write rate always: the config has none).
   */
  baseSource?: PriceSource;
  /** Long-context tiers, ascending; absent for flat pricing (and for config overrides). */
  tiers?: readonly PriceTier[];
}

/** Tokens to cost. `prompt` INCLUDES `cached` and `cacheWrite` (the gateway's unified usage). */
export interface CostUsage {
  prompt: number;
  completion: number;
  /** Of `prompt`, tokens served from the provider's prompt cache. */
  cached?: number;
  /** Of `prompt`, tokens written to the provider's prompt cache (Anthropic). */
  cacheWrite?: number;
}

/**
 * A cost in integer micro-dollars (add these up), with the same amount in dollars for
 * display and headers — never accumulate `usd`.
 */
export interface Cost {
  microUsd: number;
  usd: number;
}
