import { Controller, Get, Res } from '@nestjs/common';
import { ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import { GatewayMetrics } from '@ai-gateway/core';
import type { FastifyReply } from 'fastify';
import { RequireAccess } from '../auth/access.decorator';
import { API_TAGS } from '../docs/api-tags';

/**
 * `GET /metrics`: Prometheus text format. Per-model volumes of every tenant: with auth on,
 * the admin key or `server.metricsToken` (`server.metricsAccess: public` opens it).
 */
@Controller()
@RequireAccess('metrics')
@ApiTags(API_TAGS.metrics.name)
export class MetricsController {
  constructor(private readonly metrics: GatewayMetrics) {}

  @Get('metrics')
  @ApiOperation({ summary: 'Prometheus metrics (text exposition format)' })
  @ApiResponse({
    status: 200,
    description: 'Counters, gauges and histograms of requests, tokens, cost, circuits and jobs.',
    content: { 'text/plain; version=0.0.4': { schema: { type: 'string' } } },
  })
  async render(@Res() reply: FastifyReply): Promise<void> {
    await reply.header('content-type', this.metrics.contentType).send(await this.metrics.render());
  }
}
