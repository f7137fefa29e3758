import { Controller, Get } from '@nestjs/common';
import { HealthCheck, HealthCheckService } from '@nestjs/terminus';
import type { HealthCheckResult } from '@nestjs/terminus';
import { ProvidersHealthIndicator } from './providers.health';
import { TaskQueueHealthIndicator } from './task-queue.health';
import { RequireAccess } from '../auth/access.decorator';

/** Liveness (the process answers) and readiness (what is configured is usable). */
@Controller('health')
@RequireAccess('public')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly providers: ProvidersHealthIndicator,
    private readonly queue: TaskQueueHealthIndicator,
  ) {}

  @Get('live')
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get('ready')
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([() => this.providers.check(), () => this.queue.check()]);
  }
}
