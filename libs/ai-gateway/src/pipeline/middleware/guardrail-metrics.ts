import { Injectable } from '@nestjs/common';
import { Counter } from 'prom-client';
import { GatewayMetrics } from '../../observability/gateway-metrics.service';

/** The middleware's Prometheus counters, on the gateway's registry. */
@Injectable()
export class GuardrailMetrics {
  private readonly decisions: Counter<'middleware' | 'decision'>;
  private readonly failures: Counter<'middleware' | 'kind'>;

  constructor(metrics: GatewayMetrics) {
    this.decisions = metrics.bound(
      new Counter({
        name: 'gateway_guardrail_decisions_total',
        help: 'Middleware decisions on requests (clean, masked, flagged, blocked, timeout, error…)',
        labelNames: ['middleware', 'decision'] as const,
        registers: [metrics.registry],
      }),
      ['middleware', 'decision'],
    );
    this.failures = metrics.bound(
      new Counter({
        name: 'gateway_guardrail_failures_total',
        help: 'Middleware hook calls that failed or ran out of time, by middleware and kind',
        labelNames: ['middleware', 'kind'] as const,
        registers: [metrics.registry],
      }),
      ['middleware', 'kind'],
    );
  }

  /** A decision, counted by its kind (`masked:2` → `masked`). */
  decided(middleware: string, decision: string): void {
    const colon = decision.indexOf(':');
    this.decisions.inc({
      middleware,
      decision: colon === -1 ? decision : decision.slice(0, colon),
    });
  }

  failed(middleware: string, kind: 'timeout' | 'error'): void {
    this.failures.inc({ middleware, kind });
  }
}
