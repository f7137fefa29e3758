export { AiGatewayModule } from './ai-gateway.module';
export type { AiGatewayModuleOptions } from './ai-gateway.module-definition';
export { AI_GATEWAY_MODULE_OPTIONS } from './ai-gateway.module-definition';
export { AiGatewayService } from './ai-gateway.service';
export type { ProviderStatusReport } from './ai-gateway.service';
export { GatewayConfigService } from './config/gateway-config.service';
export { loadGatewayConfig, LOCAL_FAKE_PROVIDER } from './config/gateway-config.loader';
export type { LoadConfigOptions, Env } from './config/gateway-config.loader';
export type { GatewayConfig, ProviderKind } from './config/gateway-config.schema';
export { ProviderConfig, RouteConfig, PROVIDER_KINDS } from './config/gateway-config.schema';
export { GatewayError, isGatewayError } from './errors/gateway.error';
export { GatewayErrorCode } from './errors/gateway-error-code';
export { GatewayMetrics } from './observability/gateway-metrics.service';
export { JsonLogger, createPino } from './observability/json-logger';
export type { PinoOptions } from './observability/json-logger';
export type {
  CacheDirectives,
  CacheOutcome,
  Caller,
  CallOptions,
  ChatResult,
  ChatStream,
  EmbedResult,
  ResponseMeta,
  AttemptRecord,
} from './pipeline/call-result';
export { isCacheHit } from './pipeline/call-result';
export { ProviderRegistry } from './providers/provider-registry.service';
export type { ProviderAdapter, ProviderCallContext } from './providers/provider-adapter.interface';
export { LOCAL_FAKE_BANNER } from './providers/fake/local-fake.provider';
export type * from './types/unified';
export { RedisConnection } from './redis/redis-connection.service';
export { CircuitBreakerService } from './resilience/circuit-breaker.service';
export type { ProviderBreakerStatus, CircuitPermit } from './resilience/circuit-breaker.service';
export { KeySelector } from './resilience/key-selector.service';
export { keyIdOf } from './resilience/key-id';
export { CLOCK, systemClock } from './resilience/clock';
export type { Clock } from './resilience/clock';
export { RoutePlanner } from './routing/route-planner.service';
export type { RoutePlan, PlanOptions } from './routing/route-planner.service';
export { LatencyTracker } from './routing/latency-tracker.service';
export { BudgetService, isAdmitted } from './budget/budget.service';
export type { BudgetDecision, BudgetExceeded } from './budget/budget.service';
export type { BudgetLevel, BudgetPeriod, BudgetUsage } from './budget/budget.types';
export { levelsOf, usdToMicro, formatMicroUsd } from './budget/budget-levels';
export { PriceBook } from './pricing/price-book.service';
export type { Cost, CostUsage, ModelPrice, PriceSource } from './pricing/model-price';
export { TokenCounter } from './tokens/token-counter.service';
export { UsageWriter } from './usage/usage-writer.service';
export { usageRowFromMeta } from './usage/usage-row.mapper';
export type { UsageRowContext } from './usage/usage-row.mapper';
export type { UsageRow } from './usage/usage-row';
export { migrateUsageStore, runMigrations } from './usage/run-migrations';
export { createUsageDataSource } from './usage/usage-data-source';
export { UsageRepository } from './usage/usage.repository';
export { UsageAnalytics } from './usage/analytics/usage-analytics.service';
export { UsageRetention } from './usage/analytics/usage-retention.service';
export type * from './usage/analytics/usage-analytics.types';
export type * from './usage/analytics/usage-query';
export { GatewayKeys, GATEWAY_KEY_PREFIX } from './keys/gateway-keys.service';
export { parseGatewayKeyInput, GatewayKeyInput } from './keys/gateway-key.input';
export { modelAllowed } from './keys/model-scope';
export type {
  AuthenticatedKey,
  GatewayKeyView,
  IssuedKey,
  KeyCheck,
  KeyLimits,
} from './keys/gateway-key.types';
export { AuthConfig } from './config/auth-config.schema';
export { RateLimiter, STORE_BACKOFF_MS } from './rate-limit/rate-limiter.service';
export type {
  RateLimitAdmitted,
  RateLimitDecision,
  RateLimitLimited,
  RateLimitTicket,
  RateLimitUnavailable,
  RateLimiterSource,
} from './rate-limit/rate-limiter.types';
export type {
  RateLimitCost,
  RateLimitDimension,
  RateLimitFailMode,
  RateLimitScope,
  RateLimitScopeKind,
  RateLimitState,
  RateLimitStore,
  RateLimitStoreResult,
} from './rate-limit/rate-limit.types';
export { RATE_LIMIT_STORE, InjectRateLimitStore } from './rate-limit/rate-limit.types';
export { MemoryRateLimitStore } from './rate-limit/memory-rate-limit.store';
export { RedisRateLimitStore } from './rate-limit/redis-rate-limit.store';
export {
  ThrottlerRedisStorage,
  createThrottlerStorage,
} from './rate-limit/throttler-redis.storage';
export { rateLimitProviders, createRateLimitStore } from './rate-limit/rate-limit.providers';
export { RateLimitMetrics } from './rate-limit/rate-limit.metrics';
export { scopesFor, rateLimitSettingsOf } from './rate-limit/rate-limit-scopes';
export type { RateLimitSubject } from './rate-limit/rate-limit-scopes';
export {
  rateLimitHeaders,
  formatResetDuration,
  retryAfterHeaders,
} from './rate-limit/rate-limit-headers';
export type { RateLimitHeaders } from './rate-limit/rate-limit-headers';
export { RateLimitsConfig, RateLimitConfig } from './config/rate-limit-config.schema';
export {
  TasksConfig,
  TaskQueueConfig,
  TaskWorkerConfig,
  TaskWebhookConfig,
  TASK_QUEUE_DRIVERS,
} from './config/tasks-config.schema';
export type { TaskQueueDriver } from './config/tasks-config.schema';
export { ModelResolver } from './routing/model-resolver.service';
export type { RouteTarget, Resolution } from './routing/model-resolver.service';
export { ProviderSelfTest } from './providers/self-test/provider-self-test.service';
export {
  MAX_JSON_DEPTH,
  MAX_JSON_MEMBERS,
  MAX_JSON_VALUES,
  jsonTextTooComplex,
  assertJsonDepth,
} from './pipeline/json-depth';
