import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { GatewayConfigService, ProviderRegistry } from '@ai-gateway/core';

/**
 * Ready when every enabled provider has a live adapter. It reports, never throws;
 * it does not call providers (a health probe must not spend tokens).
 */
@Injectable()
export class ProvidersHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly config: GatewayConfigService,
    private readonly registry: ProviderRegistry,
  ) {}

  check(key = 'providers'): HealthIndicatorResult {
    const indicator = this.health.check(key);
    const enabled = Object.values(this.config.current.providers).filter((p) => p.enabled);
    const missing = enabled.filter((p) => !this.registry.get(p.name)).map((p) => p.name);
    const details = {
      configured: enabled.map((p) => p.name),
      fake: enabled.filter((p) => p.fake).map((p) => p.name),
    };
    return missing.length === 0 ? indicator.up(details) : indicator.down({ ...details, missing });
  }
}
