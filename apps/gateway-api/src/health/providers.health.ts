import { Injectable } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { HealthIndicatorResult } from '@nestjs/terminus';
import { AiGatewayService } from '@ai-gateway/core';

/**
 * Ready when every enabled provider has a live adapter. It reports, never throws;
 * it does not call providers (a health probe must not spend tokens).
 */
@Injectable()
export class ProvidersHealthIndicator {
  constructor(
    private readonly health: HealthIndicatorService,
    private readonly gateway: AiGatewayService,
  ) {}

  check(key = 'providers'): HealthIndicatorResult {
    const indicator = this.health.check(key);
    const { configured, fake, missing } = this.gateway.providersReadiness();
    const details = { configured, fake };
    return missing.length === 0 ? indicator.up(details) : indicator.down({ ...details, missing });
  }
}
