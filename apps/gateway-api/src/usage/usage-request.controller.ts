import { Controller, Get, Param, Req, UseGuards } from '@nestjs/common';
import { AiGatewayService, GatewayError, GatewayErrorCode } from '@ai-gateway/core';
import type { UsageRequestRecord } from '@ai-gateway/core';
import type { FastifyRequest } from 'fastify';
import { RequireAccess } from '../auth/access.decorator';
import { GatewayAuthGuard } from '../auth/gateway-auth.guard';
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
export class UsageRequestController {
  constructor(private readonly gateway: AiGatewayService) {}

  @Get(':id')
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
