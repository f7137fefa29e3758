import type { DynamicModule } from '@nestjs/common';
import { Module } from '@nestjs/common';
import { AiGatewayModule } from '@ai-gateway/core';
import type { GatewayConfig } from '@ai-gateway/core';
import { ResumeModule } from '@ai-gateway/resume';

/**
 * The worker: the gateway library in-process (same config, same request path as the
 * gateway app) and the resume task registry. Queue processors that feed jobs to the
 * registry join here with the queue issue.
 */
@Module({})
export class WorkerModule {
  static register(config: GatewayConfig): DynamicModule {
    return {
      module: WorkerModule,
      // Global: the resume handlers inject AiGatewayService from their own module.
      imports: [AiGatewayModule.forRoot({ resolvedConfig: config, isGlobal: true }), ResumeModule],
    };
  }
}
