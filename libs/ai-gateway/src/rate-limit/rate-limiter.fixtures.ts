import { loadGatewayConfig } from '../config/gateway-config.loader';
import { GatewayConfigService } from '../config/gateway-config.service';
import { unreachableMethods } from '../testing/store.fixtures';
import type { RateLimitStore } from './rate-limit.types';

/** A config service with a `rateLimits` section and any other sections, such as `redis`. */
export function rateLimitTestConfig(
  rateLimits: Record<string, unknown> = {},
  extra: Record<string, unknown> = {},
): GatewayConfigService {
  return new GatewayConfigService(loadGatewayConfig({ config: { ...extra, rateLimits }, env: {} }));
}

/** A store whose Redis is gone: every call rejects the way ioredis does without a queue. */
export function unreachableStore(): RateLimitStore & { calls: string[] } {
  return { shared: true, ...unreachableMethods(['acquire', 'adjust', 'release']) };
}
