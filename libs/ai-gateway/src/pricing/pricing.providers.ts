import type { Provider } from '@nestjs/common';
import { GenaiPricesCatalog } from './genai-prices.catalog';
import { PriceBook } from './price-book.service';
import { PricingFileCatalog } from './pricing-file.catalog';

/**
 * Providers of the pricing layer, for `AiGatewayModule` (which provides
 * `GatewayConfigService` and, with the resilience providers, `CLOCK`).
 */
export const pricingProviders: Provider[] = [GenaiPricesCatalog, PricingFileCatalog, PriceBook];
