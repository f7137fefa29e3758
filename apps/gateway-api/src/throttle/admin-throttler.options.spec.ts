import { GatewayConfigService, RedisConnection, loadGatewayConfig } from '@ai-gateway/core';
import type { ExecutionContext } from '@nestjs/common';
import { ThrottlerStorageService } from '@nestjs/throttler';
import type { FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { setRequestAuth } from '../auth/request-auth';
import {
  ADMIN_THROTTLE_WINDOW_MS,
  ADMIN_THROTTLER,
  adminThrottleTracker,
  adminThrottlerOptions,
} from './admin-throttler.options';

const KEY = 'admin-secret-0123456789abcdef';

function request(ip: string, key?: string): FastifyRequest {
  return { ip, headers: key ? { authorization: `Bearer ${key}` } : {} } as FastifyRequest;
}

describe('adminThrottleTracker', () => {
  it('tracks a verified key by its SHA-256, never the key itself', () => {
    const verified = request('10.0.0.1', KEY);
    setRequestAuth(verified, { admin: true });
    const tracker = adminThrottleTracker(verified);
    expect(tracker).toBe(`key:${createHash('sha256').update(KEY).digest('hex')}`);
    expect(tracker).not.toContain(KEY);
  });

  it('tracks by IP when no key was verified (auth off, or none presented)', () => {
    expect(adminThrottleTracker(request('10.0.0.1', KEY))).toBe('ip:10.0.0.1');
    const anonymous = request('10.0.0.2');
    setRequestAuth(anonymous, { admin: false });
    expect(adminThrottleTracker(anonymous)).toBe('ip:10.0.0.2');
  });

  it('groups IPv6 clients by /64, as the package does', () => {
    expect(adminThrottleTracker(request('2001:db8:1:2:3:4:5:6'))).toBe(
      adminThrottleTracker(request('2001:db8:1:2:ffff:4:5:6')),
    );
  });
});

describe('adminThrottlerOptions', () => {
  it('reads the limit from the current config on every call, without Redis in memory', () => {
    // From the environment, as a string the loader makes a number.
    const config = new GatewayConfigService(
      loadGatewayConfig({
        config: { rateLimits: { adminRequestsPerMinute: '${ADMIN_RPM}' } },
        env: { ADMIN_RPM: '7' },
      }),
    );
    const options = adminThrottlerOptions(new RedisConnection(config), config);
    if (Array.isArray(options)) throw new Error('expected the object form');
    const [throttler] = options.throttlers;
    expect(throttler).toMatchObject({ name: ADMIN_THROTTLER, ttl: ADMIN_THROTTLE_WINDOW_MS });
    const limit = throttler.limit as (context: ExecutionContext) => number;
    expect(limit({} as ExecutionContext)).toBe(7);
    config.replace(
      loadGatewayConfig({ config: { rateLimits: { adminRequestsPerMinute: 2 } }, env: {} }),
    );
    expect(limit({} as ExecutionContext)).toBe(2);
    expect(loadGatewayConfig({ env: {} }).rateLimits.adminRequestsPerMinute).toBe(120);
    expect(options.storage).toBeInstanceOf(ThrottlerStorageService);
    expect(options.setHeaders).toBe(false);
  });
});
