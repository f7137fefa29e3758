import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { ThrottlerModule } from '@nestjs/throttler';
import { AiGatewayModule, GatewayConfigService, RedisConnection } from '@ai-gateway/core';
import type { AiGatewayModuleExtras, ConfigReloadSource, GatewayConfig } from '@ai-gateway/core';
import { TaskQueueModule, tasksSection } from '@ai-gateway/resume';
import { AdminKeysController } from './admin/admin-keys.controller';
import { AdminSpendingController } from './admin/admin-spending.controller';
import { AdminConfigController } from './admin/admin-config.controller';
import { GatewayAuthGuard } from './auth/gateway-auth.guard';
import { ChatCompletionsController } from './chat/chat-completions.controller';
import { EmbeddingsController } from './chat/embeddings.controller';
import { ModelsController } from './chat/models.controller';
import { ProvidersStatusController } from './chat/providers-status.controller';
import { ProvidersTestController } from './chat/providers-test.controller';
import { HealthController } from './health/health.controller';
import { ProvidersHealthIndicator } from './health/providers.health';
import { TaskQueueHealthIndicator } from './health/task-queue.health';
import { OpenAiExceptionFilter } from './http/openai-exception.filter';
import { MessagesController } from './messages/messages.controller';
import { MetricsController } from './observability/metrics.controller';
import type { AppTelemetry } from './observability/telemetry-shutdown';
import { telemetryProviders } from './observability/telemetry-shutdown';
import { BatchesController, FilesController } from './files/files.controller';
import { PassthroughController } from './passthrough/passthrough.controller';
import { adminThrottlerOptions } from './throttle/admin-throttler.options';
import { ResponsesController } from './responses/responses.controller';
import { UsageController } from './usage/usage.controller';
import { UsageRequestController } from './usage/usage-request.controller';
import { JobCountsController } from './tasks/job-counts.controller';
import { JobsController } from './tasks/jobs.controller';
import { TasksController } from './tasks/tasks.controller';

/** The standalone gateway: thin controllers over `AiGatewayModule`. */
@Module({})
export class AppModule {
  static register(
    config: GatewayConfig,
    reload?: ConfigReloadSource,
    telemetry?: AppTelemetry,
    middleware?: AiGatewayModuleExtras['middleware'],
  ): DynamicModule {
    // One module object imported twice is one module (Nest keys dynamic modules by reference).
    // Global: the resume task handlers inject the gateway service from their own module.
    const gateway = AiGatewayModule.forRoot({
      resolvedConfig: config,
      reload,
      configSections: [tasksSection],
      isGlobal: true,
      middleware,
    });
    return {
      module: AppModule,
      imports: [
        gateway,
        TaskQueueModule.register(config, { role: 'producer' }),
        TerminusModule.forRoot({ logger: false }),
        // No global ThrottlerGuard: only the admin and usage controllers use it.
        ThrottlerModule.forRootAsync({
          imports: [gateway],
          inject: [RedisConnection, GatewayConfigService],
          useFactory: adminThrottlerOptions,
        }),
      ],
      controllers: [
        ChatCompletionsController,
        EmbeddingsController,
        MessagesController,
        ResponsesController,
        ModelsController,
        PassthroughController,
        FilesController,
        BatchesController,
        ProvidersStatusController,
        ProvidersTestController,
        HealthController,
        MetricsController,
        AdminKeysController,
        AdminSpendingController,
        AdminConfigController,
        UsageController,
        UsageRequestController,
        JobCountsController,
        TasksController,
        JobsController,
      ],
      providers: [
        ProvidersHealthIndicator,
        TaskQueueHealthIndicator,
        { provide: APP_FILTER, useClass: OpenAiExceptionFilter },
        ...telemetryProviders(telemetry),
        // With gateway keys off, model routes need no check at all, so the guard is not
        // global then (a guard on every route costs on the request path); the admin and
        // usage controllers carry it themselves.
        ...(config.auth.enabled ? [{ provide: APP_GUARD, useClass: GatewayAuthGuard }] : []),
      ],
    };
  }
}
