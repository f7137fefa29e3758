import { Controller, Get, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { ConfigReloader, GatewayError } from '@ai-gateway/core';
import type { ConfigStatus, ReloadOutcome } from '@ai-gateway/core';
import { RequireAccess } from '../auth/access.decorator';
import { GatewayAuthGuard } from '../auth/gateway-auth.guard';
import { ApiErrors, ApiJson } from '../docs/api-responses.decorator';
import { API_TAGS } from '../docs/api-tags';
import { AdminThrottlerGuard } from '../throttle/admin-throttler.guard';

/**
 * `GET /v1/admin/config` (the loaded configuration's version, when and what loaded it,
 * secrets redacted) and `POST /v1/admin/config/reload` (read the YAML again; the other
 * instances on the same Redis follow), for the admin key.
 */
@Controller('v1/admin/config')
@RequireAccess('admin')
@UseGuards(GatewayAuthGuard, AdminThrottlerGuard)
@ApiTags(API_TAGS.adminKeys.name)
@ApiErrors(429, 503)
export class AdminConfigController {
  constructor(private readonly reloader: ConfigReloader) {}

  @Get()
  @ApiOperation({
    summary: 'The loaded configuration: version, when, from where, secrets redacted',
  })
  @ApiJson(200, 'ConfigStatus', 'The configuration this instance runs on.')
  status(): ConfigStatus {
    return this.reloader.status();
  }

  @Post('reload')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Read the configuration file again and apply it (every instance on the same Redis follows)',
    description:
      'A file that does not validate, or that changes a setting only a restart changes (server, store URLs, Redis), changes nothing: 400 listing every problem.',
  })
  @ApiJson(200, 'ReloadOutcome', 'Applied (or unchanged): the version now loaded.')
  @ApiErrors(400)
  async reload(): Promise<ReloadOutcome> {
    const outcome = await this.reloader.reload('admin');
    if (!outcome.ok) {
      throw GatewayError.invalidRequest(
        `The configuration was not reloaded; nothing changed: ${(outcome.errors ?? []).join('; ')}`,
        'config',
      );
    }
    return outcome;
  }
}
