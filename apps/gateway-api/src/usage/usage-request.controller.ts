import { Controller, Get, Param, Req, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiParam, ApiTags } from '@nestjs/swagger';
import { AiGatewayService, GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import type { UsageRequestRecord } from '@ai-gateway/core';
import type { FastifyRequest } from 'fastify';
import { RequireAccess } from '../auth/access.decorator';
import { GatewayAuthGuard } from '../auth/gateway-auth.guard';
import { ApiErrors, ApiJson } from '../docs/api-responses.decorator';
import { API_TAGS } from '../docs/api-tags';
import { AdminThrottlerGuard } from '../throttle/admin-throttler.guard';
import { usageScopeOf } from './usage.controller';

/**
 * `GET /v1/usage/requests/:id`: one request of the usage log by its request id (the
 * `x-request-id` the gateway answered with). A gateway key sees only its own requests:
 * another key's is a 404, like one that does not exist.
 */
@Controller('v1/usage/requests')
@RequireAccess('usage')
@UseGuards(GatewayAuthGuard, AdminThrottlerGuard)
@ApiTags(API_TAGS.usage.name)
@ApiErrors(404, 429, 503)
export class UsageRequestController {
  constructor(private readonly gateway: AiGatewayService) {}

  @Get(':id')
  @ApiOperation({
    summary: 'One request of the usage log, by its request id (x-request-id)',
    description: "A gateway key sees its own requests only: another key's is a 404.",
  })
  @ApiParam({ name: 'id', description: 'The `x-request-id` the gateway answered with.' })
  @ApiJson(200, 'UsageRequestRecord', 'The request: tokens, cost, latency, trace.')
  async request(
    @Param('id') id: string,
    @Req() request: FastifyRequest,
  ): Promise<UsageRequestRecord> {
    const record = await this.gateway.analytics.request(id, usageScopeOf(request));
    if (!record) {
      throw new GatewayError(GatewayErrorCode.NOT_FOUND, `No request '${id.slice(0, 64)}'`, {
        param: 'id',
      });
    }
    return record;
  }
}
