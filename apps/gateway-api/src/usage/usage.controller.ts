import { Controller, Get, Req, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { AiGatewayService } from '@ai-gateway/core';
import type { UsageRequestsPage, UsageScope, UsageSummary } from '@ai-gateway/core';
import type { FastifyRequest } from 'fastify';
import { RequireAccess } from '../auth/access.decorator';
import { GatewayAuthGuard } from '../auth/gateway-auth.guard';
import { requestAuthOf } from '../auth/request-auth';
import { ApiUsageQuery } from '../docs/api-queries.decorator';
import { ApiErrors, ApiJson } from '../docs/api-responses.decorator';
import { API_TAGS } from '../docs/api-tags';
import { AdminThrottlerGuard } from '../throttle/admin-throttler.guard';

/**
 * `GET /v1/usage/summary` and `GET /v1/usage/requests`: the usage log, aggregated or row
 * by row. The admin key (or a gateway without auth) sees every key's usage; a gateway
 * key only its own.
 */
@Controller('v1/usage')
@RequireAccess('usage')
@UseGuards(GatewayAuthGuard, AdminThrottlerGuard)
@ApiTags(API_TAGS.usage.name)
@ApiErrors(400, 429, 503)
export class UsageController {
  constructor(private readonly gateway: AiGatewayService) {}

  @Get('summary')
  @ApiOperation({
    summary: 'Usage summed over a window, overall or by a dimension or time bucket',
    description:
      "A gateway key sees its own usage; the admin key (or a gateway without auth) everyone's.",
  })
  @ApiUsageQuery('summary')
  @ApiJson(200, 'UsageSummary', 'Requests, tokens, cost, latency, errors and cache hits per group.')
  summary(@Req() request: FastifyRequest): Promise<UsageSummary> {
    return this.gateway.analytics.summary(queryOf(request), usageScopeOf(request));
  }

  @Get('requests')
  @ApiOperation({
    summary: 'The usage log, request by request (newest first, a page at a time)',
    description:
      "A gateway key sees its own requests; the admin key (or a gateway without auth) everyone's.",
  })
  @ApiUsageQuery('requests')
  @ApiJson(200, 'UsageRequestsPage', 'A page of requests; `nextCursor` leads to the next.')
  requests(@Req() request: FastifyRequest): Promise<UsageRequestsPage> {
    return this.gateway.analytics.requests(queryOf(request), usageScopeOf(request));
  }
}

/** Whose rows the request may see: undefined (all) for the admin key or with auth off. */
export function usageScopeOf(request: FastifyRequest): UsageScope | undefined {
  const auth = requestAuthOf(request);
  if (!auth || auth.admin) return undefined;
  return { keyId: auth.caller?.keyId ?? null };
}

function queryOf(request: FastifyRequest): Readonly<Record<string, unknown>> {
  const query = request.query;
  return typeof query === 'object' && query !== null ? (query as Record<string, unknown>) : {};
}
