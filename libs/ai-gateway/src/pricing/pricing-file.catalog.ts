import { Inject, Injectable, Optional } from '@nestjs/common';
import type { ProviderKind } from '../config/gateway-config.schema';
import { PROVIDER_KINDS } from '../config/gateway-config.schema';
import type { CatalogEntry } from './catalog-entry';
import { modelIdCandidates } from './catalog-entry';
import type { PriceRates } from './model-price';
import shippedPrices from './model-prices.json';

/** Optional provider token: pricing-file data to use instead of the shipped `model-prices.json`. */
export const PRICING_FILE_DATA = Symbol('PRICING_FILE_DATA');

/** Model id in the pricing file that prices every model of its kind. */
const ANY_MODEL = '*';
const RATE_FIELDS = ['inputPerMTok', 'outputPerMTok', 'cachedInputPerMTok', 'cacheWritePerMTok'];

/**
 * The pricing file shipped with the gateway (`model-prices.json`, USD per million tokens):
 * what genai-prices does not cover, such as local Ollama models at no charge. Lookups try
 * the exact id, then the id without a snapshot date or `-latest`, then the kind's `*`.
 */
@Injectable()
export class PricingFileCatalog {
  private readonly prices: ReadonlyMap<string, ReadonlyMap<string, PriceRates>>;

  constructor(@Optional() @Inject(PRICING_FILE_DATA) data?: unknown) {
    this.prices = parsePricingFile(data ?? shippedPrices);
  }

  /** The file's price of `model` for a provider of `kind`, if it has one. */
  lookup(kind: ProviderKind, model: string): CatalogEntry | undefined {
    const models = this.prices.get(kind);
    if (!models) return undefined;
    for (const id of [...modelIdCandidates(model), ANY_MODEL]) {
      const rates = models.get(id);
      if (rates) return { rates, matchedModel: id, timeDependent: false };
    }
    return undefined;
  }
}

/** Validates pricing-file data; throws one error listing every bad entry. */
export function parsePricingFile(data: unknown): Map<string, Map<string, PriceRates>> {
  const errors: string[] = [];
  const result = new Map<string, Map<string, PriceRates>>();
  const prices = isRecord(data) ? data.prices : undefined;
  if (!isRecord(prices)) throw new Error('pricing file: "prices" must be an object');
  for (const [kind, models] of Object.entries(prices)) {
    if (!(PROVIDER_KINDS as readonly string[]).includes(kind)) {
      errors.push(`prices.${kind}: unknown provider kind`);
      continue;
    }
    if (!isRecord(models)) {
      errors.push(`prices.${kind}: must be an object of models`);
      continue;
    }
    const byModel = new Map<string, PriceRates>();
    for (const [model, entry] of Object.entries(models)) {
      const path = `prices.${kind}.${model}`;
      const rates = isRecord(entry) ? ratesOf(entry, path, errors) : undefined;
      if (!isRecord(entry)) errors.push(`${path}: must be an object`);
      if (rates) byModel.set(model.toLowerCase(), rates);
    }
    result.set(kind, byModel);
  }
  if (errors.length > 0) throw new Error(`pricing file: ${errors.join('; ')}`);
  return result;
}

function ratesOf(
  entry: Record<string, unknown>,
  path: string,
  errors: string[],
): PriceRates | undefined {
  let valid = true;
  for (const field of RATE_FIELDS) {
    const value = entry[field];
    const required = field === 'inputPerMTok' || field === 'outputPerMTok';
    if (value === undefined && !required) continue;
    if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
      errors.push(`${path}.${field}: must be a number ≥ 0`);
      valid = false;
    }
  }
  if (!valid) return undefined;
  const input = entry.inputPerMTok as number;
  return {
    inputPerMTok: input,
    outputPerMTok: entry.outputPerMTok as number,
    cachedInputPerMTok: (entry.cachedInputPerMTok as number | undefined) ?? input,
    cacheWritePerMTok: (entry.cacheWritePerMTok as number | undefined) ?? input,
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
