import { Inject } from '@nestjs/common';
import type { StoreLocation } from '../database/usage-data-source';

/**
 * The `usage` section of the gateway config (the lead's `UsageConfig` class has the
 * same shape). Without `databaseUrl` the log lives in the embedded sql.js store.
 */
export interface UsageSettings extends StoreLocation {
  /** Run pending migrations when the gateway starts (the embedded store always does). */
  runMigrationsOnStart: boolean;
  /** Rows per INSERT; a full batch is written at once. */
  batchSize: number;
  /** A partial batch waits at most this long. */
  flushIntervalMs: number;
  /** Rows the durable buffer (Redis list or file) may hold during an outage; more are dropped. */
  bufferLimit: number;
  /** Durable buffer file when there is no Redis. */
  bufferFile: string;
  /** Rows older than this are deleted by the retention job. */
  retentionDays: number;
  /** Stored Responses API answers (`store: true`) are kept this long. */
  responsesRetentionDays: number;
}

/** Defaults of {@link UsageSettings}: what the embedded default runs with. */
export const DEFAULT_USAGE_SETTINGS: Readonly<UsageSettings> = {
  store: 'file',
  dataDir: 'data',
  runMigrationsOnStart: true,
  batchSize: 500,
  flushIntervalMs: 1_000,
  bufferLimit: 250_000,
  bufferFile: 'data/usage-buffer.jsonl',
  retentionDays: 90,
  responsesRetentionDays: 30,
};

/** Injection token of the {@link UsageSettings}. */
export const USAGE_SETTINGS = Symbol('USAGE_SETTINGS');

/** Injects the {@link UsageSettings}. */
export const InjectUsageSettings = (): ParameterDecorator => Inject(USAGE_SETTINGS);
