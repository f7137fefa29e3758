// The public API of @ai-gateway/core: what a host backend imports. Test helpers (in-memory
// stores, internals a test reads) are in the separate `@ai-gateway/core/testing` entry.

// The module and the service.
export { AiGatewayModule } from './ai-gateway.module';
export type { AiGatewayModuleExtras, AiGatewayModuleOptions } from './ai-gateway.module-definition';
// Middleware and guardrails: the contract a host's middleware implements.
export type {
  GatewayMiddleware,
  MiddlewareCaller,
  MiddlewareContext,
  RefusalCode,
  StreamField,
  StreamTextTransform,
} from './guardrails/gateway-middleware';
export { GATEWAY_MIDDLEWARE, refuse } from './guardrails/gateway-middleware';
export { detectPii, PII_TYPES } from './guardrails/pii/pii-detectors';
export type { PiiMatch, PiiType } from './guardrails/pii/pii-detectors';
export { BUILT_IN_MIDDLEWARE, GuardrailsConfig } from './config/guardrails-config.schema';
export type { FailMode } from './config/guardrails-config.schema';
export { AiGatewayService } from './ai-gateway.service';
export type { ProvidersReadiness, ProviderStatusReport } from './diagnostics/providers-status';
export { SpendingReport } from './diagnostics/spending-report';
export { ConfigReloader, RELOAD_DEBOUNCE_MS } from './reload/config-reloader.service';
export type { ConfigStatus, ReloadOutcome, ReloadTrigger } from './reload/config-reloader.service';
export { RESTART_ONLY, REDACTED } from './reload/config-view';
export type { ConfigReloadSource } from './config/config.providers';
export { JobRecords } from './database/job-records.repository';
export type { JobRecord } from './database/job-records.repository';
export type { BudgetStatusReport, RateLimitReport } from './diagnostics/spending-report';
export { ProviderSelfTest } from './diagnostics/provider-self-test.service';
export type { SelfTestInput } from './diagnostics/provider-self-test.query';
export type { SelfTestReport, SelfTestResult } from './diagnostics/provider-self-test.types';

// OpenAI's Responses API on the chat path (`POST /v1/responses`, stored responses).
export { ResponsesService } from './responses/responses.service';
export type { ResponsesResult } from './responses/responses.service';
export type { ResponsesEventStream } from './responses/responses-event-stream';
export type { ResponsesEvents } from './responses/forwarded-response-stream';
export type {
  DeletedResponse,
  ResponseObject,
  ResponseStreamEvent,
} from './responses/responses.types';

// Anthropic's Messages API on the chat path (`POST /v1/messages`, `…/count_tokens`).
export { MessagesService } from './messages/messages.service';
export type {
  AnthropicMessage,
  MessagesResult,
  MessagesStream,
  MessagesStreamEvent,
  MessagesTokenCount,
} from './messages/messages.types';

// OpenAI's other endpoints passed through (completions, moderations, images, audio).
export { PassthroughPipeline } from './passthrough/passthrough-pipeline.service';
// OpenAI's Files and Batch APIs, owned per key (`/v1/files`, `/v1/batches`).
export { FilesService } from './files/files.service';
export type { ObjectResult } from './files/files.service';
export { BatchesService, BATCH_PRICE_FACTOR } from './files/batches.service';
export type { ListPage } from './files/provider-objects';
export type { PassthroughEndpoint } from './passthrough/passthrough-endpoints';
export type { PassthroughCall, PassthroughResult } from './passthrough/passthrough.types';

// Per-call options and results; the unified (OpenAI) request and response shapes.
export type {
  AttemptRecord,
  CacheDirectives,
  CacheOutcome,
  Caller,
  CallOptions,
  ChatResult,
  ChatStream,
  EmbedResult,
  ResponseMeta,
} from './shared/call-result';
export { isCacheHit } from './shared/call-result';
export type { BudgetLimits, KeyLimits } from './shared/caller-limits';
export type * from './types/unified';

// Configuration.
export { GatewayConfigService } from './config/gateway-config.service';
export { loadGatewayConfig, LOCAL_FAKE_PROVIDER } from './config/gateway-config.loader';
export type { Env, LoadConfigOptions } from './config/gateway-config.loader';
export type { GatewayConfig } from './config/gateway-config.schema';

// Config sections: what a library needs to add its own (see docs/CONFIG.md).
export {
  defineConfigSection,
  entryFromEnv,
  fieldFromEnv,
  schemaSection,
  sectionValue,
} from './config/config-section';
export type { ConfigSection, EnvShortcut } from './config/config-section';
export type { SectionContext } from './config/section-context';
export { Flag, Numeric } from './config/field-coercion';
export { GATEWAY_CONFIG_SECTIONS } from './config/gateway-config.sections';

// Errors: one class, one code per failure; HTTP statuses are the host's choice.
export { GatewayError, isGatewayError } from './errors/gateway.error';
export { GatewayErrorCode } from './errors/gateway-error-code';

// Ports a host may replace (`overrideProvider(TOKEN)`), with their injection helpers.
export { CLOCK, InjectClock, systemClock } from './shared/clock';
export type { Clock } from './shared/clock';
export { BUDGET_STORE, InjectBudgetStore } from './budget/budget.types';
export type { BudgetStore } from './budget/budget.types';
export { RATE_LIMIT_STORE, InjectRateLimitStore } from './rate-limit/rate-limit.types';
export type { RateLimitScope, RateLimitStore } from './rate-limit/rate-limit.types';
export { BREAKER_STORE } from './resilience/breaker.types';
export type { BreakerStore } from './resilience/breaker.types';
export { EXACT_CACHE_STORE } from './cache/cached-response';
export type { ExactCacheStore } from './cache/cached-response';
export { USAGE_BUFFER, InjectUsageBuffer } from './usage/usage-buffer';
export type { UsageBuffer } from './usage/usage-buffer';

// Gateway keys and their admin API.
export { GatewayKeys } from './keys/gateway-keys.service';
export { GatewayKeyInput, parseGatewayKeyInput } from './keys/gateway-key.input';
export type {
  AuthenticatedKey,
  GatewayKeyView,
  IssuedKey,
  KeyCheck,
} from './keys/gateway-key.types';

// Usage: the writer (rows of a host's own calls), analytics, the migration command.
export { UsageWriter } from './usage/usage-writer.service';
export { UsageAnalytics } from './usage/analytics/usage-analytics.service';
export type {
  UsageRequestRecord,
  UsageRequestsPage,
  UsageScope,
  UsageSummary,
  UsageSummaryGroup,
} from './usage/analytics/usage-analytics.types';
export type {
  UsageDimension,
  UsagePeriod,
  UsageRequestsInput,
  UsageSummaryInput,
} from './usage/analytics/usage-query';
export { migrateUsageStore } from './database/run-migrations';

// Rate limits a host applies to its own work (e.g. task enqueueing), and its admin throttle.
export { RateLimiter } from './rate-limit/rate-limiter.service';
export { createThrottlerStorage } from './rate-limit/throttler-redis.storage';
export { rateLimitSettingsOf } from './rate-limit/rate-limit-scopes';
export { formatResetDuration } from './rate-limit/rate-limit-headers';

// Infrastructure a host shares: metrics, logging, the Redis connection, body checks.
export { GatewayMetrics } from './observability/gateway-metrics.service';
export { JsonLogger, createPino } from './observability/json-logger';
export { requestContext, requestLogFields } from './observability/request-context';
export type { RequestScope } from './observability/request-context';
export { RequestTracing, traceEvent } from './observability/tracing/request-tracing';
export { runJobTraced, traceCarrier } from './observability/tracing/job-tracing';
export type { JobRun, TraceCarrier } from './observability/tracing/job-tracing';
export { GenAi, Gateway as GatewaySpanAttributes } from './observability/tracing/gen-ai.attributes';
export type { PinoOptions } from './observability/json-logger';
export { RedisConnection } from './redis/redis-connection.service';
export { jsonTextTooComplex } from './pipeline/admission/json-depth';
