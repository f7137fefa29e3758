import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AiGatewayService } from '@ai-gateway/core';
import type { ProviderStatusReport } from '@ai-gateway/core';
import { RequireAccess } from '../auth/access.decorator';
import { ApiJson } from '../docs/api-responses.decorator';
import { API_TAGS } from '../docs/api-tags';

/**
 * `GET /v1/providers/status`: circuits, last errors and measured latency per provider and
 * key — every tenant's traffic, so the admin key's when auth is on.
 */
@Controller('v1/providers')
@RequireAccess('operator')
@ApiTags(API_TAGS.providers.name)
export class ProvidersStatusController {
  constructor(private readonly gateway: AiGatewayService) {}

  @Get('status')
  @ApiOperation({
    summary: 'Circuits, last errors and measured latency per provider and key',
    description: 'Keys appear as non-secret ids only. No provider is called.',
  })
  @ApiJson(200, 'ProviderStatusList', 'One entry per configured provider.')
  async status(): Promise<{ object: 'list'; data: ProviderStatusReport[] }> {
    return { object: 'list', data: await this.gateway.providersStatus() };
  }
}
