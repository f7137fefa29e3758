import type { ExecutionContext } from '@nestjs/common';
import type { ThrottlerModuleOptions } from '@nestjs/throttler';
import { normalizeIp } from '@nestjs/throttler';
import { createThrottlerStorage, rateLimitSettingsOf } from '@ai-gateway/core';
import type { GatewayConfigService, RedisConnection } from '@ai-gateway/core';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { presentedKey } from '../auth/presented-key';
import { requestAuthOf } from '../auth/request-auth';

/** The one named throttler: the admin and usage APIs, per route and caller. */
export const ADMIN_THROTTLER = 'admin';

/** The throttler's window: `rateLimits.adminRequestsPerMinute` counts per minute. */
export const ADMIN_THROTTLE_WINDOW_MS = 60_000;

/**
 * Options of `ThrottlerModule.forRootAsync` (inject `RedisConnection`,
 * `GatewayConfigService`): one throttler whose limit is read on every request (a reload
 * applies at once), its storage on the gateway's Redis when there is one. The package's
 * own headers are off: a refusal answers with Retry-After and retry-after-ms, like every
 * other 429 of the gateway.
 */
export function adminThrottlerOptions(
  redis: RedisConnection,
  config: GatewayConfigService,
): ThrottlerModuleOptions {
  return {
    throttlers: [
      {
        name: ADMIN_THROTTLER,
        ttl: ADMIN_THROTTLE_WINDOW_MS,
        limit: () => rateLimitSettingsOf(config.current).adminRequestsPerMinute,
      },
    ],
    storage: createThrottlerStorage(redis, config),
    getTracker: (_request: unknown, context: ExecutionContext) =>
      adminThrottleTracker(context.switchToHttp().getRequest<FastifyRequest>()),
    setHeaders: false,
  };
}

/**
 * Whom a hit counts against: the SHA-256 of the key the request presented once the auth
 * guard has accepted it (so a caller cannot escape its count by sending made-up keys),
 * else the client IP (IPv6 by /64, as the package does). The key itself is never kept.
 */
export function adminThrottleTracker(request: FastifyRequest): string {
  const key = requestAuthOf(request) ? presentedKey(request) : undefined;
  if (key) return `key:${createHash('sha256').update(key).digest('hex')}`;
  return `ip:${normalizeIp(request.ip)}`;
}
