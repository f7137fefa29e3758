import { Inject, Injectable, Optional } from '@nestjs/common';
import type { OnModuleDestroy } from '@nestjs/common';
import { GatewayConfigService } from '../config/gateway-config.service';
import type { ProviderConfig } from '../config/gateway-config.schema';
import type { Clock } from '../shared/clock';
import { CLOCK, systemClock } from '../shared/clock';
import type { CatalogEntry } from './catalog-entry';
import { GenaiPricesCatalog } from './genai-prices.catalog';
import type { Cost, CostUsage, ModelPrice, PriceRates, PriceSource } from './model-price';
import { costOf, worstCaseCost } from './price-math';
import { PricingFileCatalog } from './pricing-file.catalog';

/**
 * The price fields of `modelInfo.<model>` in a provider's config. `cachedInputCostPerMTok`
 * is read when the schema has it (ModelInfoConfig), so it may be set before it is declared.
 */
interface ConfiguredPrices {
  inputCostPerMTok?: number;
  outputCostPerMTok?: number;
  cachedInputCostPerMTok?: number;
}

interface BasePrice extends CatalogEntry {
  source: PriceSource;
}

interface CachedPrice {
  price: ModelPrice | undefined;
  expiresAt: number;
}

/** Resolved prices kept per provider+model; callers may name any model, so it is bounded. */
const MAX_CACHED = 2_000;
/** Date- or time-of-day-dependent catalog prices are looked up again after this. */
const TIME_DEPENDENT_TTL_MS = 60_000;
const FREE: PriceRates = {
  inputPerMTok: 0,
  outputPerMTok: 0,
  cachedInputPerMTok: 0,
  cacheWritePerMTok: 0,
};

/**
 * What a provider's model costs, and what a call cost. Sources, first match wins:
 * 1. the config, `providers.<name>.modelInfo.<model>` (exact model id): rates it sets win,
 *    rates it leaves out come from the sources below (or the model is unpriced);
 * 2. the built-in fake provider (`kind: fake` or `fake: true`): free;
 * 3. `@pydantic/genai-prices`, by provider kind (by base URL for `openai-compatible`);
 * 4. the shipped pricing file (`model-prices.json`: local Ollama models are free).
 * A model found nowhere is unpriced: `priceOf` returns `undefined`, never a $0 price, so
 * the caller can flag the usage row and log it. Prices are cached until the config changes.
 */
@Injectable()
export class PriceBook implements OnModuleDestroy {
  private readonly cache = new Map<string, CachedPrice>();
  private readonly unsubscribe: () => void;
  private readonly clock: Clock;

  constructor(
    private readonly config: GatewayConfigService,
    private readonly catalog: GenaiPricesCatalog,
    private readonly file: PricingFileCatalog,
    @Optional() @Inject(CLOCK) clock?: Clock,
  ) {
    this.clock = clock ?? systemClock;
    this.unsubscribe = config.onChange(() => this.cache.clear());
  }

  onModuleDestroy(): void {
    this.unsubscribe();
  }

  /**
   * The price of `model` (the provider's own id) on the provider configured as
   * `providerName`, or `undefined` when no source prices it (or the provider is unknown).
   */
  priceOf(providerName: string, model: string): ModelPrice | undefined {
    const key = `${providerName}\u0000${model}`;
    const now = this.clock.now();
    const cached = this.cache.get(key);
    if (cached && cached.expiresAt > now) return cached.price;

    const provider = this.config.current.providers[providerName];
    if (!provider) return undefined;
    const base = this.basePrice(provider, model, now);
    const price = withConfig(provider, model, base);
    if (this.cache.size >= MAX_CACHED && !cached) {
      const oldest = this.cache.keys().next();
      if (!oldest.done) this.cache.delete(oldest.value);
    }
    const expiresAt = base?.timeDependent ? now + TIME_DEPENDENT_TTL_MS : Number.POSITIVE_INFINITY;
    this.cache.set(key, { price, expiresAt });
    return price;
  }

  /**
   * What a finished call cost; `usage.prompt` includes the cached tokens (see
   * {@link costOf} in price-math for the convention and rounding).
   */
  costOf(price: ModelPrice, usage: CostUsage): Cost {
    return costOf(price, usage);
  }

  /** The most a call can cost: for budget reservations and `maxCostPerRequest`. */
  worstCaseCost(price: ModelPrice, promptTokens: number, maxTokens: number): Cost {
    return worstCaseCost(price, promptTokens, maxTokens);
  }

  private basePrice(provider: ProviderConfig, model: string, now: number): BasePrice | undefined {
    if (provider.kind === 'fake' || provider.fake) {
      return { rates: FREE, matchedModel: model, timeDependent: false, source: 'fake' };
    }
    const fromCatalog = this.catalog.lookup(provider.kind, model, provider.baseUrl, new Date(now));
    if (fromCatalog) return { ...fromCatalog, source: this.catalog.source };
    const fromFile = this.file.lookup(provider.kind, model);
    return fromFile ? { ...fromFile, source: 'pricing file' } : undefined;
  }
}

/** Applies `modelInfo.<model>` prices over the base price, if the config sets any. */
function withConfig(
  provider: ProviderConfig,
  model: string,
  base: BasePrice | undefined,
): ModelPrice | undefined {
  const configured: ConfiguredPrices | undefined = provider.modelInfo[model];
  const input = configured?.inputCostPerMTok;
  const output = configured?.outputCostPerMTok;
  const cached = configured?.cachedInputCostPerMTok;
  if (input === undefined && output === undefined && cached === undefined) {
    return base && toModelPrice(provider.name, model, base);
  }
  const inputRate = input ?? base?.rates.inputPerMTok;
  const outputRate = output ?? base?.rates.outputPerMTok;
  if (inputRate === undefined || outputRate === undefined) return undefined;
  return {
    provider: provider.name,
    model,
    matchedModel: model,
    source: 'config',
    // The config has no cache-write price: with a catalog price, that rate comes from it.
    ...(base ? { baseSource: base.source } : {}),
    inputPerMTok: inputRate,
    outputPerMTok: outputRate,
    cachedInputPerMTok: cached ?? base?.rates.cachedInputPerMTok ?? inputRate,
    cacheWritePerMTok: base?.rates.cacheWritePerMTok ?? inputRate,
  };
}

function toModelPrice(provider: string, model: string, base: BasePrice): ModelPrice {
  return {
    provider,
    model,
    matchedModel: base.matchedModel,
    source: base.source,
    ...base.rates,
    ...(base.tiers ? { tiers: base.tiers } : {}),
  };
}
