import { Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { AiGatewayModule } from '@ai-gateway/core';
import type { AiGatewayModuleOptions } from '@ai-gateway/core';
import { ResumeModule } from '@ai-gateway/resume';
import { DemoController } from './demo.controller';

/**
 * The gateway's options come from the host's own configuration. Without LLM_BASE_URL the
 * gateway runs on its embedded defaults: a local fake model, in-memory stores, no Redis,
 * no PostgreSQL, no key.
 */
function gatewayOptions(config: ConfigService): AiGatewayModuleOptions {
  const baseUrl = config.get<string>('LLM_BASE_URL');
  if (!baseUrl) return {};
  return {
    config: {
      providers: {
        vllm: { kind: 'openai-compatible', baseUrl, models: ['llama-3', 'embed-1'] },
      },
    },
  };
}

@Module({
  imports: [
    ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true }),
    AiGatewayModule.forRootAsync({
      isGlobal: true,
      inject: [ConfigService],
      useFactory: gatewayOptions,
    }),
    ResumeModule,
  ],
  controllers: [DemoController],
})
export class AppModule {}
