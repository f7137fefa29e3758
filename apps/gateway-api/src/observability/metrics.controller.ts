import { Controller, Get, Res } from '@nestjs/common';
import { GatewayMetrics } from '@ai-gateway/core';
import type { FastifyReply } from 'fastify';
import { RequireAccess } from '../auth/access.decorator';

/**
 * `GET /metrics`: Prometheus text format. Per-model volumes of every tenant: with auth on,
 * the admin key or `server.metricsToken` (`server.metricsAccess: public` opens it).
 */
@Controller()
@RequireAccess('metrics')
export class MetricsController {
  constructor(private readonly metrics: GatewayMetrics) {}

  @Get('metrics')
  async render(@Res() reply: FastifyReply): Promise<void> {
    await reply.header('content-type', this.metrics.contentType).send(await this.metrics.render());
  }
}
