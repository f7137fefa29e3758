import type { PriceRates, PriceTier } from './model-price';

/** A price found in a catalog (the npm package or the pricing file), before the config applies. */
export interface CatalogEntry {
  rates: PriceRates;
  /** Long-context tiers, ascending. */
  tiers?: PriceTier[];
  /** The catalog's id for the model that matched. */
  matchedModel: string;
  /** True when the price depends on the date or the time of day: cache it briefly. */
  timeDependent: boolean;
}

const DATE_SUFFIX = /-(?:\d{4}-\d{2}-\d{2}|\d{8})$/;
const LATEST_SUFFIX = /-latest$/;

/**
 * Ids to try for a model, most specific first: as given (lower case), then without a
 * snapshot date (`gpt-4o-2024-08-06` → `gpt-4o`, `claude-3-haiku-20240307` →
 * `claude-3-haiku`), then without `-latest`. A snapshot is priced as its family only when
 * the catalog has no entry of its own for it (`gpt-4o-2024-05-13` costs more than `gpt-4o`).
 */
export function modelIdCandidates(model: string): string[] {
  const exact = model.trim().toLowerCase();
  const ids = [exact];
  const undated = exact.replace(DATE_SUFFIX, '');
  if (undated !== exact) ids.push(undated);
  const unlabelled = exact.replace(LATEST_SUFFIX, '');
  if (unlabelled !== exact) ids.push(unlabelled);
  return ids;
}
