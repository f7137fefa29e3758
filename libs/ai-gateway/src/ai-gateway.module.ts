import { Module } from '@nestjs/common';
import { AiGatewayConfigurableModule } from './ai-gateway.module-definition';
import { AiGatewayService } from './ai-gateway.service';
import { gatewayConfigProvider } from './config/config.providers';
import { GatewayConfigService } from './config/gateway-config.service';
import { GatewayMetrics } from './observability/gateway-metrics.service';
import { RequestLedger } from './pipeline/request-ledger';
import { ChatPipeline } from './pipeline/chat-pipeline.service';
import { ProviderRegistry } from './providers/provider-registry.service';
import { RedisConnection } from './redis/redis-connection.service';
import { budgetProviders } from './budget/budget.providers';
import { BudgetService } from './budget/budget.service';
import { BudgetGate } from './pipeline/budget-gate';
import { FallbackExecutor } from './pipeline/fallback-executor.service';
import { PriceBook } from './pricing/price-book.service';
import { pricingProviders } from './pricing/pricing.providers';
import { TokenCounter } from './tokens/token-counter.service';
import { TokenWarmUp } from './tokens/token-warm-up';
import { usageProviders } from './usage/usage.providers';
import { GatewayKeyRepository } from './keys/gateway-key.repository';
import { GatewayKeys } from './keys/gateway-keys.service';
import { RateLimitGate } from './pipeline/rate-limit-gate';
import { rateLimitProviders } from './rate-limit/rate-limit.providers';
import { RateLimiter } from './rate-limit/rate-limiter.service';
import { UsageWriter } from './usage/usage-writer.service';
import { resilienceProviders } from './resilience/resilience.providers';
import { CircuitBreakerService } from './resilience/circuit-breaker.service';
import { LatencyTracker } from './routing/latency-tracker.service';
import { ModelResolver } from './routing/model-resolver.service';
import { ProviderSelfTest } from './providers/self-test/provider-self-test.service';
import { RoutePlanner } from './routing/route-planner.service';

import { cacheProviders } from './cache/cache.providers';
import { ResponseCache } from './cache/response-cache.service';
/**
 * The gateway as a NestJS module. `AiGatewayModule.forRoot({ configPath })` or
 * `forRootAsync({ useFactory })`; pass `isGlobal: true` to use it app-wide.
 */
@Module({
  providers: [
    gatewayConfigProvider,
    RedisConnection,
    GatewayMetrics,
    ProviderRegistry,
    ModelResolver,
    ProviderSelfTest,
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
    FallbackExecutor,
    BudgetGate,
    ...rateLimitProviders,
    RateLimitGate,
    ...cacheProviders,
    RequestLedger,
    ChatPipeline,
    AiGatewayService,
  ],
  exports: [
    AiGatewayService,
    GatewayConfigService,
    GatewayMetrics,
    ProviderRegistry,
    RedisConnection,
    CircuitBreakerService,
    LatencyTracker,
    BudgetService,
    PriceBook,
    TokenCounter,
    UsageWriter,
    GatewayKeys,
    RateLimiter,
    ResponseCache,
    ModelResolver,
    ProviderSelfTest,
  ],
})
export class AiGatewayModule extends AiGatewayConfigurableModule {}
