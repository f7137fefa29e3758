import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { AiGatewayModule } from '@ai-gateway/core';
import type { GatewayConfig } from '@ai-gateway/core';
import { AdminKeysController } from './admin/admin-keys.controller';
import { GatewayAuthGuard } from './auth/gateway-auth.guard';
import { ChatCompletionsController } from './chat/chat-completions.controller';
import { EmbeddingsController } from './chat/embeddings.controller';
import { ModelsController } from './chat/models.controller';
import { ProvidersStatusController } from './chat/providers-status.controller';
import { HealthController } from './health/health.controller';
import { ProvidersHealthIndicator } from './health/providers.health';
import { OpenAiExceptionFilter } from './http/openai-exception.filter';
import { MetricsController } from './observability/metrics.controller';
import { UsageController } from './usage/usage.controller';

/** The standalone gateway: thin controllers over `AiGatewayModule`. */
@Module({})
export class AppModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        AiGatewayModule.forRoot({ resolvedConfig: config }),
        TerminusModule.forRoot({ logger: false }),
      ],
      controllers: [
        ChatCompletionsController,
        EmbeddingsController,
        ModelsController,
        ProvidersStatusController,
        HealthController,
        MetricsController,
        AdminKeysController,
        UsageController,
      ],
      providers: [
        ProvidersHealthIndicator,
        { provide: APP_FILTER, useClass: OpenAiExceptionFilter },
        // With gateway keys off, model routes need no check at all, so the guard is not
        // global then (a guard on every route costs on the request path); the admin and
        // usage controllers carry it themselves.
        ...(config.auth.enabled ? [{ provide: APP_GUARD, useClass: GatewayAuthGuard }] : []),
      ],
    };
  }
}
