import { Injectable } from '@nestjs/common';
import { GatewayConfigService } from '../config/gateway-config.service';
import { ProviderRegistry } from '../providers/provider-registry.service';
import type { ProviderBreakerStatus } from '../resilience/circuit-breaker.service';
import { CircuitBreakerService } from '../resilience/circuit-breaker.service';
import type { LatencyEstimate } from '../routing/latency-tracker.service';
import { LatencyTracker } from '../routing/latency-tracker.service';

/** One provider's health as `GET /v1/providers/status` shows it. */
export interface ProviderStatusReport extends Omit<
  ProviderBreakerStatus,
  'openUntil' | 'lastErrorAt' | 'keys'
> {
  kind: string;
  fake: boolean;
  /** ISO time until which the circuit stays open. */
  openUntil?: string;
  lastErrorAt?: string;
  /** Length of the window the request and failure counts cover. */
  windowMs: number;
  keys: Array<
    Omit<ProviderBreakerStatus['keys'][number], 'openUntil' | 'lastErrorAt'> & {
      openUntil?: string;
      lastErrorAt?: string;
    }
  >;
  /** Moving averages measured by this instance, per model. */
  latency: Array<LatencyEstimate & { model: string }>;
}

/** Which enabled providers can take calls: for a readiness probe (no provider is called). */
export interface ProvidersReadiness {
  /** Enabled providers, in config order. */
  configured: string[];
  /** Those that are fake (the built-in local fake, or `fake: true`). */
  fake: string[];
  /** Enabled providers without a live adapter: not ready. */
  missing: string[];
}

/** Per provider and per key: circuit state, measured latency, a live adapter or not. */
@Injectable()
export class ProvidersStatus {
  constructor(
    private readonly config: GatewayConfigService,
    private readonly registry: ProviderRegistry,
    private readonly breakers: CircuitBreakerService,
    private readonly latency: LatencyTracker,
  ) {}

  readiness(): ProvidersReadiness {
    const enabled = Object.values(this.config.current.providers).filter((p) => p.enabled);
    return {
      configured: enabled.map((p) => p.name),
      fake: enabled.filter((p) => p.fake).map((p) => p.name),
      missing: enabled.filter((p) => !this.registry.get(p.name)).map((p) => p.name),
    };
  }

  /**
   * Per provider and per key: circuit state, open-until, last error, requests and
   * failures in the breaker window, and measured latency. Keys appear only as ids.
   */
  async report(): Promise<ProviderStatusReport[]> {
    const { providers } = this.config.current;
    const iso = (ms: number | undefined): string | undefined =>
      ms === undefined ? undefined : new Date(ms).toISOString();
    return (await this.breakers.status()).map((status) => {
      const provider = providers[status.provider];
      return {
        ...status,
        kind: provider?.kind ?? 'unknown',
        fake: provider?.fake ?? false,
        openUntil: iso(status.openUntil),
        lastErrorAt: iso(status.lastErrorAt),
        windowMs: provider?.breaker.windowMs ?? 0,
        keys: status.keys.map((key) => ({
          ...key,
          openUntil: iso(key.openUntil),
          lastErrorAt: iso(key.lastErrorAt),
        })),
        latency: this.latency.forProvider(status.provider),
      };
    });
  }
}
