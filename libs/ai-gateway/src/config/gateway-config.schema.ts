import type { AuthConfig } from './auth-config.schema';
import type { BudgetsConfig } from './budget-config.schema';
import type { CacheConfig } from './cache-config.schema';
import type { GuardrailsConfig } from './guardrails-config.schema';
import type { LoggingConfig } from './logging-config.schema';
import type { OtelConfig } from './otel-config.schema';
import type { ProviderConfig } from './provider-config.schema';
import type { RateLimitsConfig } from './rate-limit-config.schema';
import type { RedisConfig } from './redis-config.schema';
import type { RouteConfig, RoutingConfig } from './routing-config.schema';
import type { ServerConfig } from './server-config.schema';
import type { UsageConfig } from './usage-config.schema';

// The schema classes live with their sections; these names stay importable from here.
export { LoggingConfig } from './logging-config.schema';
export { OtelConfig } from './otel-config.schema';
export {
  DEFAULT_BASE_URLS,
  KINDS_NEEDING_KEYS,
  MODEL_FEATURES,
  ModelInfoConfig,
  PROVIDER_KINDS,
  ProviderConfig,
} from './provider-config.schema';
export type { ModelFeature, ProviderKind } from './provider-config.schema';
export { BreakerConfig, RetryConfig } from './provider-resilience.schema';
export { RedisConfig } from './redis-config.schema';
export {
  FALLBACK_REASONS,
  ROUTING_STRATEGIES,
  HedgeConfig,
  RouteConfig,
  RoutingConfig,
} from './routing-config.schema';
export type { FallbackReason, RoutingStrategy } from './routing-config.schema';
export { ServerConfig } from './server-config.schema';

/**
 * The whole validated configuration: one value per core section (`gateway-config.sections.ts`).
 * Read it through `GatewayConfigService.current`; another library's section (the task
 * engine's `tasks`) is read with `sectionValue(config, itsSection)`.
 */
export interface GatewayConfig {
  server: ServerConfig;
  logging: LoggingConfig;
  otel: OtelConfig;
  providers: Record<string, ProviderConfig>;
  routes: Record<string, RouteConfig>;
  routing: RoutingConfig;
  budgets: BudgetsConfig;
  rateLimits: RateLimitsConfig;
  cache: CacheConfig;
  usage: UsageConfig;
  auth: AuthConfig;
  guardrails: GuardrailsConfig;
  /** Present when a Redis URL is configured (`redis.url` or `REDIS_URL`). */
  redis?: RedisConfig;
  /** Set when the built-in local fake provider was added because nothing else is configured. */
  embeddedFake: boolean;
}
