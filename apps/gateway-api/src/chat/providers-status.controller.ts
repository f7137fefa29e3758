import { Controller, Get } from '@nestjs/common';
import { AiGatewayService } from '@ai-gateway/core';
import type { ProviderStatusReport } from '@ai-gateway/core';
import { RequireAccess } from '../auth/access.decorator';

/**
 * `GET /v1/providers/status`: circuits, last errors and measured latency per provider and
 * key — every tenant's traffic, so the admin key's when auth is on.
 */
@Controller('v1/providers')
@RequireAccess('operator')
export class ProvidersStatusController {
  constructor(private readonly gateway: AiGatewayService) {}

  @Get('status')
  async status(): Promise<{ object: 'list'; data: ProviderStatusReport[] }> {
    return { object: 'list', data: await this.gateway.providersStatus() };
  }
}
