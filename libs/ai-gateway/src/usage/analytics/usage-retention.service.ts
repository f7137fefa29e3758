import type { OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { Injectable, Logger } from '@nestjs/common';
import type { Clock } from '../../shared/clock';
import { InjectClock } from '../../shared/clock';
import { UsageLogEntity } from '../../database/usage-log.entity';
import type { UsageSettings } from '../usage-settings';
import { InjectUsageSettings } from '../usage-settings';
import { UsageRepository } from '../usage.repository';

const DAY_MS = 86_400_000;

/** First run after start-up: late enough not to compete with the boot, early enough to matter. */
export const RETENTION_START_DELAY_MS = 30_000;
/** Then every hour. */
export const RETENTION_INTERVAL_MS = 3_600_000;
/** Rows per DELETE: each statement stays short, so a huge backlog never locks the table for long. */
export const RETENTION_CHUNK_ROWS = 5_000;

/**
 * Deletes usage rows older than `usage.retentionDays`: shortly after start-up, then
 * hourly, in chunks. Failures (the database being down is normal) are logged, never
 * thrown. Every instance runs it; concurrent runs only find fewer rows to delete.
 */
@Injectable()
export class UsageRetention implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger(UsageRetention.name);
  private startTimer?: NodeJS.Timeout;
  private intervalTimer?: NodeJS.Timeout;
  private running?: Promise<number>;
  private stopped = false;

  constructor(
    private readonly repository: UsageRepository,
    @InjectUsageSettings() private readonly settings: UsageSettings,
    @InjectClock() private readonly clock: Clock,
  ) {}

  /** Schedules the first run and the hourly ones; the timers never keep the process alive. */
  onApplicationBootstrap(): void {
    // The in-memory embedded store keeps only its newest rows: retention has nothing to
    // do there, and reading it would insert its deferred rows on the gateway's thread.
    if (this.repository.inMemory) return;
    this.startTimer = setTimeout(() => {
      void this.runOnce();
      this.intervalTimer = setInterval(() => void this.runOnce(), RETENTION_INTERVAL_MS);
      this.intervalTimer.unref();
    }, RETENTION_START_DELAY_MS);
    this.startTimer.unref();
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.startTimer);
    clearInterval(this.intervalTimer);
  }

  /**
   * Deletes the rows created before `now − retentionDays` and resolves with how many
   * went. Never rejects; a run still going is joined rather than doubled.
   */
  runOnce(now: number = this.clock.now()): Promise<number> {
    this.running ??= this.purge(now).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  private async purge(now: number): Promise<number> {
    const cutoff = new Date(now - this.settings.retentionDays * DAY_MS);
    let deleted = 0;
    try {
      // Through reader(): rows the embedded store deferred are old enough to go too.
      const dataSource = await this.repository.reader();
      const metadata = dataSource.getMetadata(UsageLogEntity);
      const requestId = dataSource.driver.escape(metadata.primaryColumns[0].databaseName);
      for (;;) {
        const oldest = dataSource
          .getRepository(UsageLogEntity)
          .createQueryBuilder('old')
          .select('old.requestId')
          .where('old.createdAt < :cutoff', { cutoff })
          .limit(RETENTION_CHUNK_ROWS);
        const purge = dataSource
          .createQueryBuilder()
          .delete()
          .from(UsageLogEntity)
          .where(`${requestId} IN (${oldest.getQuery()})`)
          .setParameters(oldest.getParameters());
        // The file store deletes on its database thread, off the event loop.
        const affected = await this.repository.delete(purge);
        deleted += affected;
        if (affected < RETENTION_CHUNK_ROWS || this.stopped) break;
        // Let requests run between chunks (the embedded store works on this thread).
        await new Promise((resolve) => setImmediate(resolve));
      }
      if (deleted > 0) {
        this.logger.log({
          msg: 'usage rows past retention deleted',
          deleted,
          retentionDays: this.settings.retentionDays,
          before: cutoff.toISOString(),
        });
      }
    } catch (error) {
      if (!this.stopped) {
        this.logger.warn({
          msg: 'usage retention failed; retried at the next run',
          deleted,
          error: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return deleted;
  }
}
