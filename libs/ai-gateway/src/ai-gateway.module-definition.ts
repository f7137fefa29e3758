import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { GatewayConfigSource } from './config/config.providers';

/**
 * Options of `AiGatewayModule.forRoot()` / `forRootAsync()`: where the configuration comes
 * from (`GatewayConfigSource`).
 */
export type AiGatewayModuleOptions = GatewayConfigSource;

export const {
  ConfigurableModuleClass: AiGatewayConfigurableModule,
  MODULE_OPTIONS_TOKEN: AI_GATEWAY_MODULE_OPTIONS,
  OPTIONS_TYPE: AI_GATEWAY_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AI_GATEWAY_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AiGatewayModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
  }))
  .build();
