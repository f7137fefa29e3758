import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { RateLimitScope, RateLimitScopeKind } from './rate-limit.types';
import { RATE_LIMIT_SCOPE_KINDS } from './rate-limit.types';

/**
 * Rate-limiter metrics, on the gateway's registry. The `scope` label is a scope kind
 * (global, key, user, team, model, ip), never an id: six values at most.
 */
@Injectable()
export class RateLimitMetrics {
  private readonly admitted = new Map<RateLimitScopeKind, { inc(): void }>();
  private readonly limited = new Map<RateLimitScopeKind, { inc(): void }>();
  private readonly redisErrors: Counter;

  constructor(metrics: GatewayMetrics) {
    const registers = [metrics.registry];
    const admitted = new Counter({
      name: 'gateway_ratelimit_admitted_total',
      help: 'Requests admitted by the rate limiter, counted once under each scope kind that applied',
      labelNames: ['scope'] as const,
      registers,
    });
    const limited = new Counter({
      name: 'gateway_ratelimit_limited_total',
      help: 'Requests refused by the rate limiter, by the kind of the scope that refused',
      labelNames: ['scope'] as const,
      registers,
    });
    this.redisErrors = new Counter({
      name: 'gateway_ratelimit_redis_errors_total',
      help: 'Rate-limiter calls to Redis that failed (down or slow); scopes then follow their fail mode',
      registers,
    });
    // Children made once: a labels lookup per request would hash the labels every time.
    for (const kind of RATE_LIMIT_SCOPE_KINDS) {
      this.admitted.set(kind, admitted.labels({ scope: kind }));
      this.limited.set(kind, limited.labels({ scope: kind }));
    }
  }

  /** A request admitted under `scopes`. */
  recordAdmitted(scopes: readonly RateLimitScope[]): void {
    for (const scope of scopes) this.admitted.get(scope.kind)?.inc();
  }

  /** A request refused by a scope of `kind`. */
  recordLimited(kind: RateLimitScopeKind): void {
    this.limited.get(kind)?.inc();
  }

  recordRedisError(): void {
    this.redisErrors.inc();
  }
}
