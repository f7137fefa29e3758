import type { Provider, Type } from '@nestjs/common';
import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { GatewayConfigSource } from './config/config.providers';
import type { GatewayMiddleware } from './guardrails/gateway-middleware';
import { GATEWAY_MIDDLEWARE } from './guardrails/gateway-middleware';

/**
 * Options of `AiGatewayModule.forRoot()` / `forRootAsync()`: where the configuration comes
 * from (`GatewayConfigSource`).
 */
export type AiGatewayModuleOptions = GatewayConfigSource;

/** Options beside the configuration, read when the module is defined. */
export interface AiGatewayModuleExtras {
  /** Register the module in the global scope. */
  isGlobal?: boolean;
  /**
   * The host's middleware: classes implementing `GatewayMiddleware`, made by the module with
   * the host's dependency injection (what they inject must be visible: a global module, or
   * one in `forRootAsync({ imports })`). Each runs where a `guardrails` list names it — with
   * no list configured, all of them, in this order.
   */
  middleware?: ReadonlyArray<Type<GatewayMiddleware>>;
}

/** The host's middleware classes as providers, and the list the chain reads. */
function middlewareProviders(classes: ReadonlyArray<Type<GatewayMiddleware>>): Provider[] {
  return [
    ...classes,
    {
      provide: GATEWAY_MIDDLEWARE,
      inject: [...classes],
      useFactory: (...instances: GatewayMiddleware[]) => instances,
    },
  ];
}

export const {
  ConfigurableModuleClass: AiGatewayConfigurableModule,
  MODULE_OPTIONS_TOKEN: AI_GATEWAY_MODULE_OPTIONS,
  OPTIONS_TYPE: AI_GATEWAY_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AI_GATEWAY_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AiGatewayModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras<AiGatewayModuleExtras>({ isGlobal: false, middleware: [] }, (definition, extras) => ({
    ...definition,
    global: extras.isGlobal,
    providers: [...(definition.providers ?? []), ...middlewareProviders(extras.middleware ?? [])],
  }))
  .build();
