import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import type { HealthCheckResult } from '@nestjs/terminus';
import { ProvidersHealthIndicator } from './providers.health';
import { TaskQueueHealthIndicator } from './task-queue.health';
import { RequireAccess } from '../auth/access.decorator';
import { ApiErrors, ApiJson } from '../docs/api-responses.decorator';
import { API_TAGS } from '../docs/api-tags';

/** Liveness (the process answers) and readiness (what is configured is usable). */
@Controller('health')
@RequireAccess('public')
@ApiTags(API_TAGS.health.name)
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly providers: ProvidersHealthIndicator,
    private readonly queue: TaskQueueHealthIndicator,
  ) {}

  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process answers' })
  @ApiJson(200, 'HealthLive', 'Alive.')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  // Documented below, with this app's indicators (terminus' own example is a database's).
  @HealthCheck({ noCache: true, swaggerDocumentation: false })
  @ApiOperation({
    summary: 'Readiness: every enabled provider has an adapter and the task queue answers',
    description: 'No provider is called (a probe must not spend tokens).',
  })
  @ApiJson(200, 'HealthReady', 'Ready; `info` and `details` say what each indicator found.')
  // Not ready: terminus' 503, in the error shape of the app's error filter.
  @ApiErrors(503)
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.providers.check(), () => this.queue.check()]);
  }
}
