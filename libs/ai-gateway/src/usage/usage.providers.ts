import type { Provider } from '@nestjs/common';
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import type { GatewayConfig } from '../config/gateway-config.schema';
import { GatewayConfigService } from '../config/gateway-config.service';
import { RedisConnection } from '../redis/redis-connection.service';
import type { Clock } from '../shared/clock';
import { CLOCK } from '../shared/clock';
import { UsageAnalytics } from './analytics/usage-analytics.service';
import { UsageRetention } from './analytics/usage-retention.service';
import { FileUsageBuffer } from './file-usage.buffer';
import { MemoryUsageBuffer } from './memory-usage.buffer';
import { RedisUsageBuffer } from './redis-usage.buffer';
import type { UsageBuffer } from './usage-buffer';
import { USAGE_BUFFER } from './usage-buffer';
import { createUsageDataSource } from '../database/usage-data-source';
import type { UsageDatabaseOptions } from '../database/usage-database.service';
import {
  USAGE_DATA_SOURCE,
  USAGE_DATABASE_OPTIONS,
  UsageDatabase,
} from '../database/usage-database.service';
import type { UsageSettings } from './usage-settings';
import { DEFAULT_USAGE_SETTINGS, USAGE_SETTINGS } from './usage-settings';
import type { UsageWriterOptions } from './usage-writer.service';
import { USAGE_WRITER_OPTIONS, UsageWriter } from './usage-writer.service';
import { UsageMetrics } from './usage.metrics';
import { UsageRepository } from './usage.repository';

/** The `usage` section of the config, defaults filled in. */
export function usageSettingsOf(config: GatewayConfig): UsageSettings {
  return { ...DEFAULT_USAGE_SETTINGS, ...config.usage };
}

/**
 * The durable buffer for this configuration: the shared Redis list when Redis is
 * configured, else the append-only file. Chosen once, at module creation.
 */
export function createUsageBuffer(
  redis: RedisConnection,
  clock: Clock,
  settings: UsageSettings,
): UsageBuffer {
  if (redis.enabled) return new RedisUsageBuffer(redis, clock, { limit: settings.bufferLimit });
  // The embedded stores cannot go down (the file store is itself on this disk), so a disk
  // buffer would only write every row twice; PostgreSQL without Redis buffers on disk.
  if (settings.databaseUrl) {
    return new FileUsageBuffer(settings.bufferFile, settings.bufferLimit);
  }
  return new MemoryUsageBuffer(settings.bufferLimit);
}

/**
 * The store these settings get: the file store needs better-sqlite3, an optional peer
 * dependency of the library (the gateway app has it). Without it the store is in memory,
 * said loudly, rather than a gateway that does not start.
 */
export function storeSettingsOf(
  settings: UsageSettings,
  installed: () => boolean = sqliteInstalled,
): UsageSettings {
  if (settings.databaseUrl || settings.store !== 'file' || installed()) return settings;
  new Logger('UsageStore').warn({
    msg: 'usage.store is file but better-sqlite3 is not installed: keys and usage are kept in memory and lost on restart. Install better-sqlite3 (npm install better-sqlite3@12), set DATABASE_URL, or set usage.store: memory.',
  });
  return { ...settings, store: 'memory' };
}

function sqliteInstalled(): boolean {
  try {
    require.resolve('better-sqlite3');
    return true;
  } catch {
    return false;
  }
}

/**
 * Providers of the usage log, for `AiGatewayModule` (which already provides
 * `GatewayConfigService`, `RedisConnection`, `GatewayMetrics` and `CLOCK`). Inject
 * {@link UsageWriter} and call `record(row)` once per request; {@link UsageAnalytics}
 * reads the log and {@link UsageRetention} prunes it on a schedule.
 */
export const usageProviders: Provider[] = [
  {
    provide: USAGE_SETTINGS,
    inject: [GatewayConfigService],
    useFactory: (config: GatewayConfigService): UsageSettings =>
      storeSettingsOf(usageSettingsOf(config.current)),
  },
  {
    provide: USAGE_DATA_SOURCE,
    inject: [USAGE_SETTINGS],
    useFactory: (settings: UsageSettings): DataSource => createUsageDataSource(settings),
  },
  {
    provide: USAGE_DATABASE_OPTIONS,
    inject: [USAGE_SETTINGS],
    // The embedded store starts empty on every run: it always needs its tables.
    useFactory: (settings: UsageSettings): UsageDatabaseOptions => ({
      runMigrations: !settings.databaseUrl || settings.runMigrationsOnStart,
    }),
  },
  UsageDatabase,
  UsageRepository,
  UsageMetrics,
  {
    provide: USAGE_BUFFER,
    inject: [RedisConnection, CLOCK, USAGE_SETTINGS],
    useFactory: createUsageBuffer,
  },
  {
    provide: USAGE_WRITER_OPTIONS,
    inject: [USAGE_SETTINGS],
    useFactory: (settings: UsageSettings): UsageWriterOptions => ({
      batchSize: settings.batchSize,
      flushIntervalMs: settings.flushIntervalMs,
    }),
  },
  UsageWriter,
  UsageAnalytics,
  UsageRetention,
];
