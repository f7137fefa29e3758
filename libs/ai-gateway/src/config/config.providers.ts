import type { Provider } from '@nestjs/common';
import type { AiGatewayModuleOptions } from '../ai-gateway.module-definition';
import { AI_GATEWAY_MODULE_OPTIONS } from '../ai-gateway.module-definition';
import { loadGatewayConfig } from './gateway-config.loader';
import { GatewayConfigService } from './gateway-config.service';

/**
 * Loads and validates the configuration once, at module creation. This file and the
 * loader are the only library code that reads `process.env`.
 */
export const gatewayConfigProvider: Provider = {
  provide: GatewayConfigService,
  inject: [AI_GATEWAY_MODULE_OPTIONS],
  useFactory: (options: AiGatewayModuleOptions) =>
    new GatewayConfigService(
      options.resolvedConfig ??
        loadGatewayConfig({
          config: options.config,
          configPath: options.configPath,
          env: options.env ?? process.env,
        }),
    ),
};
