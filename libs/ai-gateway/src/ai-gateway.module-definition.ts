import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { Env } from './config/gateway-config.loader';
import type { GatewayConfig } from './config/gateway-config.schema';

/** Options of `AiGatewayModule.forRoot()` / `forRootAsync()`. */
export interface AiGatewayModuleOptions {
  /** An already validated configuration (from `loadGatewayConfig`); used as is. */
  resolvedConfig?: GatewayConfig;
  /** Inline configuration, in the YAML file's shape; takes precedence over `configPath`. */
  config?: Record<string, unknown>;
  /** Path of the YAML config; defaults to `$AI_GATEWAY_CONFIG`, then to none. */
  configPath?: string;
  /** Environment for `${VAR}` interpolation and the env shortcuts; defaults to `process.env`. */
  env?: Env;
}

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
