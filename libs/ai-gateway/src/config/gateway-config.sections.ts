import { authSection } from './auth.section';
import { budgetsSection } from './budgets.section';
import { cacheSection } from './cache.section';
import type { ConfigSection } from './config-section';
import { guardrailsSection } from './guardrails.section';
import { loggingSection } from './logging.section';
import { otelSection } from './otel.section';
import { providersSection } from './providers.section';
import { rateLimitsSection } from './rate-limits.section';
import { redisSection } from './redis.section';
import { routesSection } from './routes.section';
import { routingSection } from './routing.section';
import { serverSection } from './server.section';
import { usageSection } from './usage.section';
import { GatewayError } from '../errors/gateway.error';
import { GatewayErrorCode } from '../errors/gateway-error-code';

/**
 * The sections of the core gateway, in the order they are read and their problems listed.
 * Each fills the `GatewayConfig` key of its name (the providers section also sets
 * `embeddedFake`).
 */
export const GATEWAY_CONFIG_SECTIONS: readonly ConfigSection[] = [
  serverSection,
  loggingSection,
  otelSection,
  providersSection,
  routesSection,
  routingSection,
  budgetsSection,
  rateLimitsSection,
  cacheSection,
  usageSection,
  authSection,
  redisSection,
  guardrailsSection,
];

/**
 * The core sections followed by `extra` (another library's, e.g. `@ai-gateway/resume`'s),
 * each key once: a second section of a key is a programming error, refused at load.
 */
export function configSections(extra: readonly ConfigSection[] = []): readonly ConfigSection[] {
  const all = [...GATEWAY_CONFIG_SECTIONS, ...extra];
  // `embeddedFake` is set by the providers section.
  const keys = new Set<string>(['embeddedFake']);
  for (const { key } of all) {
    if (keys.has(key)) {
      throw new GatewayError(
        GatewayErrorCode.INVALID_CONFIG,
        `Config section key "${key}" is already taken`,
      );
    }
    keys.add(key);
  }
  return all;
}
