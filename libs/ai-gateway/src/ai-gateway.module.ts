import { Module } from '@nestjs/common';
import {
  AI_GATEWAY_MODULE_OPTIONS,
  AiGatewayConfigurableModule,
} from './ai-gateway.module-definition';
import { AiGatewayService } from './ai-gateway.service';
import { budgetProviders } from './budget/budget.providers';
import { cacheProviders } from './cache/cache.providers';
import { EMBEDDINGS_SOURCE } from './cache/semantic/provider-embedder';
import { configReloadSourceOf, createGatewayConfigService } from './config/config.providers';
import { CONFIG_RELOAD_SOURCE, ConfigReloader } from './reload/config-reloader.service';
import { GatewayConfigService } from './config/gateway-config.service';
import { ProviderSelfTest } from './diagnostics/provider-self-test.service';
import { ProvidersStatus } from './diagnostics/providers-status';
import { SpendingReport } from './diagnostics/spending-report';
import { JobRecords } from './database/job-records.repository';
import { GatewayKeyRepository } from './keys/gateway-key.repository';
import { GatewayKeys } from './keys/gateway-keys.service';
import { GatewayMetrics } from './observability/gateway-metrics.service';
import { GenAiMetrics } from './observability/tracing/gen-ai-metrics';
import { RequestTracing } from './observability/tracing/request-tracing';
import { BudgetGate } from './pipeline/admission/budget-gate';
import { RateLimitGate } from './pipeline/admission/rate-limit-gate';
import { RequestAdmission } from './pipeline/admission/request-admission';
import { AttemptCalls } from './pipeline/attempt-calls';
import { CacheStep } from './pipeline/cache-step';
import { ChatPipeline } from './pipeline/chat-pipeline.service';
import { EmbeddingsPipeline } from './pipeline/embeddings-pipeline.service';
import { AttemptClaims } from './pipeline/execution/attempt-claims';
import { AttemptRunner } from './pipeline/execution/attempt-runner';
import { FallbackExecutor } from './pipeline/execution/fallback-executor.service';
import { HedgedRace } from './pipeline/execution/hedged-race';
import { GuardStep } from './pipeline/middleware/guard-step';
import { GuardrailMetrics } from './pipeline/middleware/guardrail-metrics';
import { MiddlewareChain } from './pipeline/middleware/middleware-chain';
import { RequestLedger } from './pipeline/request-ledger';
import { StreamRelay } from './pipeline/stream-relay';
import { PassthroughAdmission } from './passthrough/passthrough-admission';
import { PassthroughForwarder } from './passthrough/passthrough-forwarder';
import { PassthroughPipeline } from './passthrough/passthrough-pipeline.service';
import { GatewayGuardrailCalls } from './passthrough/guardrail-calls.service';
import { GUARDRAIL_CALLS } from './guardrails/guardrail-calls';
import { BatchesService } from './files/batches.service';
import { FilesService } from './files/files.service';
import { ProviderObjectsRepository } from './files/provider-objects.repository';
import { pricingProviders } from './pricing/pricing.providers';
import { ProviderRegistry } from './providers/provider-registry.service';
import { rateLimitProviders } from './rate-limit/rate-limit.providers';
import { MessagesService } from './messages/messages.service';
import { RateLimiter } from './rate-limit/rate-limiter.service';
import { ResponsesService } from './responses/responses.service';
import { StoredResponsesRepository } from './responses/stored-responses.repository';
import { RedisConnection } from './redis/redis-connection.service';
import { resilienceProviders } from './resilience/resilience.providers';
import { LatencyTracker } from './routing/latency-tracker.service';
import { ModelResolver } from './routing/model-resolver.service';
import { RoutePlanner } from './routing/route-planner.service';
import { TokenCounter } from './tokens/token-counter.service';
import { TokenWarmUp } from './tokens/token-warm-up';
import { UsageAnalytics } from './usage/analytics/usage-analytics.service';
import { usageProviders } from './usage/usage.providers';
import { UsageWriter } from './usage/usage-writer.service';

/** The request path, room by room: admission, the cache step, execution, the books. */
const pipelineProviders = [
  RequestAdmission,
  BudgetGate,
  RateLimitGate,
  AttemptClaims,
  AttemptRunner,
  HedgedRace,
  FallbackExecutor,
  AttemptCalls,
  RequestLedger,
  CacheStep,
  GuardrailMetrics,
  MiddlewareChain,
  GuardStep,
  StreamRelay,
  ChatPipeline,
  EmbeddingsPipeline,
  // The semantic cache's provider embedders take the embeddings path, never the chat one.
  { provide: EMBEDDINGS_SOURCE, useExisting: EmbeddingsPipeline },
];

/**
 * The gateway as a NestJS module. `AiGatewayModule.forRoot({ configPath })` or
 * `forRootAsync({ useFactory })`; pass `isGlobal: true` to use it app-wide.
 */
@Module({
  providers: [
    {
      provide: GatewayConfigService,
      inject: [AI_GATEWAY_MODULE_OPTIONS],
      useFactory: createGatewayConfigService,
    },
    {
      provide: CONFIG_RELOAD_SOURCE,
      inject: [AI_GATEWAY_MODULE_OPTIONS],
      useFactory: configReloadSourceOf,
    },
    ConfigReloader,
    RedisConnection,
    GatewayMetrics,
    GenAiMetrics,
    RequestTracing,
    ProviderRegistry,
    ModelResolver,
    ...resilienceProviders,
    ...budgetProviders,
    ...pricingProviders,
    TokenCounter,
    TokenWarmUp,
    ...usageProviders,
    GatewayKeyRepository,
    GatewayKeys,
    LatencyTracker,
    RoutePlanner,
    ...rateLimitProviders,
    ...cacheProviders,
    ...pipelineProviders,
    ProviderSelfTest,
    ProvidersStatus,
    SpendingReport,
    JobRecords,
    PassthroughAdmission,
    PassthroughForwarder,
    PassthroughPipeline,
    // A guard's own calls (moderation, the injection judge), found lazily by the chain.
    { provide: GUARDRAIL_CALLS, useClass: GatewayGuardrailCalls },
    MessagesService,
    StoredResponsesRepository,
    ResponsesService,
    ProviderObjectsRepository,
    FilesService,
    BatchesService,
    AiGatewayService,
  ],
  // What a host may inject: the same classes the public barrel exports.
  exports: [
    AiGatewayService,
    GatewayConfigService,
    GatewayMetrics,
    RequestTracing,
    RedisConnection,
    UsageWriter,
    UsageAnalytics,
    GatewayKeys,
    RateLimiter,
    ProviderSelfTest,
    SpendingReport,
    JobRecords,
    ConfigReloader,
    PassthroughPipeline,
    ResponsesService,
    MessagesService,
    FilesService,
    BatchesService,
  ],
})
export class AiGatewayModule extends AiGatewayConfigurableModule {}
