import { Controller, Get, Req, Res, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProviderSelfTest } from '@ai-gateway/core';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { RequireAccess } from '../auth/access.decorator';
import { GatewayAuthGuard } from '../auth/gateway-auth.guard';
import { ApiSelfTestQuery } from '../docs/api-queries.decorator';
import { ApiErrors, ApiJson } from '../docs/api-responses.decorator';
import { API_TAGS } from '../docs/api-tags';
import { AdminThrottlerGuard } from '../throttle/admin-throttler.guard';
import { cancelOnClientClose } from './client-abort';

/** The self-test report, as the library returns it. */
type SelfTestReport = Awaited<ReturnType<ProviderSelfTest['run']>>;

/**
 * `GET /v1/providers/test` (admin key): a tiny prompt through each configured model of
 * each enabled provider, reporting status, latency, tokens and cost per model. Query:
 * `provider` (one provider only), `timeoutMs` (deadline per call, default 15 s). Real
 * calls that cost money, hence admin-only and throttled like the rest of the admin API.
 */
@Controller('v1/providers')
@RequireAccess('admin')
@UseGuards(GatewayAuthGuard, AdminThrottlerGuard)
@ApiTags(API_TAGS.providers.name)
export class ProvidersTestController {
  constructor(private readonly selfTest: ProviderSelfTest) {}

  @Get('test')
  @ApiOperation({
    summary: 'Self-test: a tiny prompt to each configured model of each enabled provider',
    description:
      'Real calls that cost money. A failing model is a result (`status: error`), not an error of this request.',
  })
  @ApiSelfTestQuery()
  @ApiJson(200, 'SelfTestReport', 'Status, latency, tokens and cost per model.')
  @ApiErrors(400, 429)
  run(
    @Req() request: FastifyRequest,
    @Res({ passthrough: true }) reply: FastifyReply,
  ): Promise<SelfTestReport> {
    // Nobody reads the report once the admin went away: stop the calls still running.
    const abort = new AbortController();
    cancelOnClientClose(reply)(() => abort.abort());
    const query = request.query;
    return this.selfTest.run(
      typeof query === 'object' && query !== null ? query : {},
      abort.signal,
    );
  }
}
