import { Controller, Get, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { SpendingReport } from '@ai-gateway/core';
import type { BudgetStatusReport, RateLimitReport } from '@ai-gateway/core';
import { RequireAccess } from '../auth/access.decorator';
import { GatewayAuthGuard } from '../auth/gateway-auth.guard';
import { ApiErrors, ApiJson } from '../docs/api-responses.decorator';
import { API_TAGS } from '../docs/api-tags';
import { AdminThrottlerGuard } from '../throttle/admin-throttler.guard';

/**
 * `GET /v1/admin/budgets` (every configured budget with its spending in the current
 * period) and `GET /v1/admin/limits` (the rate limits per scope), for the admin key.
 */
@Controller('v1/admin')
@RequireAccess('admin')
@UseGuards(GatewayAuthGuard, AdminThrottlerGuard)
@ApiTags(API_TAGS.adminKeys.name)
@ApiErrors(429, 503)
export class AdminSpendingController {
  constructor(private readonly report: SpendingReport) {}

  @Get('budgets')
  @ApiOperation({ summary: 'Every configured budget with its spending in the current period' })
  @ApiJson(200, 'BudgetStatusList', "Providers' caps, users', teams' and keys' budgets.")
  async budgets(): Promise<{ object: 'list'; data: BudgetStatusReport[] }> {
    return { object: 'list', data: await this.report.budgets() };
  }

  @Get('limits')
  @ApiOperation({ summary: 'The rate limits per scope, as configured (keys own included)' })
  @ApiJson(200, 'RateLimitScopeList', 'One entry per scope that has limits.')
  async limits(): Promise<{ object: 'list'; data: RateLimitReport[] }> {
    return { object: 'list', data: await this.report.limits() };
  }
}
