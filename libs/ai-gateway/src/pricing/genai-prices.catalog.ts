import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Injectable } from '@nestjs/common';
import { calcPrice } from '@pydantic/genai-prices';
import type { ModelPrice as GenaiModelPrice, PriceOptions } from '@pydantic/genai-prices';
import type { ProviderKind } from '../config/gateway-config.schema';
import type { CatalogEntry } from './catalog-entry';
import type { PriceRates, PriceTier } from './model-price';

const PACKAGE = '@pydantic/genai-prices';

/**
 * genai-prices provider ids of the kinds that are one vendor. `openai-compatible` is
 * matched by its base URL instead (Groq, OpenRouter, DeepSeek, Together… are in the
 * catalog); Ollama and the fake provider are not in it.
 */
const PROVIDER_IDS: Readonly<Record<ProviderKind, string | undefined>> = {
  openai: 'openai',
  anthropic: 'anthropic',
  gemini: 'google',
  mistral: 'mistral',
  'openai-compatible': undefined,
  ollama: undefined,
  fake: undefined,
};

type RawPrice = GenaiModelPrice[string];

/**
 * The maintained price catalog of `@pydantic/genai-prices`, used offline: the data
 * bundled with the installed version (no auto-update, no network). It matches dated
 * snapshots itself (`gpt-4o-2024-08-06` → `gpt-4o`, while `gpt-4o-2024-05-13` keeps its own
 * price) and resolves date- and time-dependent prices for the moment asked.
 */
@Injectable()
export class GenaiPricesCatalog {
  /** `genai-prices@<installed version>`, the `source` of the prices found here. */
  readonly source = `genai-prices@${installedVersion()}` as const;

  /** The price of `model` for a provider of `kind` (and `baseUrl`) at `at`, if the catalog has it. */
  lookup(
    kind: ProviderKind,
    model: string,
    baseUrl: string | undefined,
    at: Date,
  ): CatalogEntry | undefined {
    const providerId = PROVIDER_IDS[kind];
    const options: PriceOptions | undefined = providerId
      ? { providerId, timestamp: at }
      : kind === 'openai-compatible' && baseUrl
        ? { providerApiUrl: baseUrl, timestamp: at }
        : undefined;
    if (!options) return undefined;
    const id = kind === 'gemini' ? model.replace(/^models\//, '') : model;
    let found: ReturnType<typeof calcPrice>;
    try {
      found = calcPrice({}, id, options);
    } catch {
      // Malformed catalog data for this model: unpriced rather than a failed request.
      return undefined;
    }
    if (!found) return undefined;
    const prices = found.model_price;
    if (prices.input_mtok === undefined) return undefined; // not priced per token
    return {
      rates: ratesAbove(prices, -1),
      ...tiersOf(prices),
      matchedModel: found.model.id,
      timeDependent: Array.isArray(found.model.prices),
    };
  }
}

/**
 * Rates for a prompt of more than `threshold` tokens (-1: the base rates). A missing
 * output price is 0 (embedding models have none); missing cache prices fall back to
 * the input price, i.e. no discount is assumed.
 */
function ratesAbove(prices: GenaiModelPrice, threshold: number): PriceRates {
  const input = priceAbove(prices.input_mtok, threshold) ?? 0;
  return {
    inputPerMTok: input,
    outputPerMTok: priceAbove(prices.output_mtok, threshold) ?? 0,
    cachedInputPerMTok: priceAbove(prices.cache_read_mtok, threshold) ?? input,
    cacheWritePerMTok: priceAbove(prices.cache_write_mtok, threshold) ?? input,
  };
}

function tiersOf(prices: GenaiModelPrice): { tiers?: PriceTier[] } {
  const thresholds = new Set<number>();
  for (const key of ['input_mtok', 'output_mtok', 'cache_read_mtok', 'cache_write_mtok']) {
    const price = prices[key];
    if (typeof price === 'object') for (const tier of price.tiers) thresholds.add(tier.start);
  }
  if (thresholds.size === 0) return {};
  const tiers = [...thresholds]
    .sort((a, b) => a - b)
    .map((start) => ({ aboveInputTokens: start, ...ratesAbove(prices, start) }));
  return { tiers };
}

/** genai-prices applies a tier once the input tokens exceed its `start`. */
function priceAbove(price: RawPrice, threshold: number): number | undefined {
  if (price === undefined || typeof price === 'number') return price;
  let value = price.base;
  for (const tier of price.tiers) if (threshold >= tier.start) value = tier.price;
  return value;
}

function installedVersion(): string {
  try {
    const entry = require.resolve(PACKAGE);
    const manifest = JSON.parse(
      readFileSync(join(dirname(entry), '..', 'package.json'), 'utf8'),
    ) as { version?: unknown };
    return typeof manifest.version === 'string' ? manifest.version : 'unknown';
  } catch {
    return 'unknown';
  }
}
