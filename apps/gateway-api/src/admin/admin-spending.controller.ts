import { Controller, Get, UseGuards } from '@nestjs/common';
import { SpendingReport } from '@ai-gateway/core';
import type { BudgetStatusReport, RateLimitReport } from '@ai-gateway/core';
import { RequireAccess } from '../auth/access.decorator';
import { GatewayAuthGuard } from '../auth/gateway-auth.guard';
import { AdminThrottlerGuard } from '../throttle/admin-throttler.guard';

/**
 * `GET /v1/admin/budgets` (every configured budget with its spending in the current
 * period) and `GET /v1/admin/limits` (the rate limits per scope), for the admin key.
 */
@Controller('v1/admin')
@RequireAccess('admin')
@UseGuards(GatewayAuthGuard, AdminThrottlerGuard)
export class AdminSpendingController {
  constructor(private readonly report: SpendingReport) {}

  @Get('budgets')
  async budgets(): Promise<{ object: 'list'; data: BudgetStatusReport[] }> {
    return { object: 'list', data: await this.report.budgets() };
  }

  @Get('limits')
  async limits(): Promise<{ object: 'list'; data: RateLimitReport[] }> {
    return { object: 'list', data: await this.report.limits() };
  }
}
