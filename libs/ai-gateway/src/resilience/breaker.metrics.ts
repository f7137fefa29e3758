import { Injectable } from '@nestjs/common';
import { Counter, Gauge } from 'prom-client';
import { GatewayMetrics } from '../observability/gateway-metrics.service';
import type { BreakerState } from './breaker.types';
import { BREAKER_STATE_VALUE } from './circuit-state';

/** Circuits whose last state this instance remembers (a safety net: circuits come from config). */
const MAX_CIRCUITS = 1_000;

/** Which store call failed, for `gateway_breaker_store_errors_total`. */
export type BreakerStoreOperation = 'acquire' | 'record' | 'trip' | 'snapshot';

/**
 * Breaker metrics, registered on the gateway's registry. The `circuit` label is a
 * provider name or `provider#keyId` (config-bounded, never a key).
 */
@Injectable()
export class BreakerMetrics {
  private readonly state: Gauge<'circuit'>;
  private readonly transitions: Counter<'circuit' | 'to'>;
  private readonly storeErrors: Counter<'operation'>;
  /** Last value set per circuit: the gauge is written only on change (hot path). */
  private readonly seen = new Map<string, number>();

  constructor(metrics: GatewayMetrics) {
    const registers = [metrics.registry];
    this.state = new Gauge({
      name: 'gateway_breaker_state',
      help: 'Circuit state as last seen by this instance: 0 closed, 1 half-open, 2 open',
      labelNames: ['circuit'] as const,
      registers,
    });
    this.transitions = new Counter({
      name: 'gateway_breaker_transitions_total',
      help: 'Circuit state changes caused by this instance, by the state entered',
      labelNames: ['circuit', 'to'] as const,
      registers,
    });
    this.storeErrors = new Counter({
      name: 'gateway_breaker_store_errors_total',
      help: 'Breaker store calls that failed (Redis down or slow); breakers then fail open',
      labelNames: ['operation'] as const,
      registers,
    });
    metrics.bound(this.state, ['circuit']);
    metrics.bound(this.transitions, ['circuit', 'to']);
  }

  /** Sets the gauge to what a store call just showed. */
  observe(circuit: string, state: BreakerState): void {
    const value = BREAKER_STATE_VALUE[state];
    if (this.seen.get(circuit) === value) return;
    // Circuits come from config (providers, their keys); the cap keeps this map as bounded as the series.
    if (!this.seen.has(circuit) && this.seen.size >= MAX_CIRCUITS) return;
    this.seen.set(circuit, value);
    this.state.set({ circuit }, value);
  }

  /** A transition this instance caused. */
  transition(circuit: string, to: BreakerState): void {
    this.transitions.inc({ circuit, to });
    this.observe(circuit, to);
  }

  storeError(operation: BreakerStoreOperation): void {
    this.storeErrors.inc({ operation });
  }
}
