import type { OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { runMigrations } from './run-migrations';
import { SQLITE_BUSY_TIMEOUT_MS } from './usage-data-source';
import { SqliteWorker } from './sqlite-worker';

/** Injection token of the usage store's TypeORM data source (not initialized). */
export const USAGE_DATA_SOURCE = Symbol('USAGE_DATA_SOURCE');

/** How {@link UsageDatabase} opens its data source. */
export interface UsageDatabaseOptions {
  /** Run pending migrations when the connection is first opened. */
  runMigrations: boolean;
}

/** Injection token of the {@link UsageDatabaseOptions}. */
export const USAGE_DATABASE_OPTIONS = Symbol('USAGE_DATABASE_OPTIONS');

/**
 * Owns the usage store's connection. Opening is lazy and retried: a database that is
 * down at boot does not stop the gateway (usage rows wait in the durable buffer), and
 * the next write after it comes back opens it (and migrates, when configured).
 */
@Injectable()
export class UsageDatabase implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(UsageDatabase.name);
  private opening?: Promise<DataSource>;
  private migrated = false;
  private closed = false;
  private thread?: SqliteWorker;

  constructor(
    @Inject(USAGE_DATA_SOURCE) private readonly dataSource: DataSource,
    @Inject(USAGE_DATABASE_OPTIONS) private readonly options: UsageDatabaseOptions,
  ) {}

  /** Which store this is, for logs and health: `postgres`, `better-sqlite3` (the file store) or `sqljs`. */
  get kind(): string {
    return this.dataSource.options.type;
  }

  /** True for the embedded store kept only in this process's memory (sql.js). */
  get inMemory(): boolean {
    return this.dataSource.options.type === 'sqljs';
  }

  /** True for the embedded file store (SQLite through better-sqlite3). */
  get isFile(): boolean {
    return this.dataSource.options.type === 'better-sqlite3';
  }

  /**
   * The file store's database thread, which runs the statements too big for the event loop
   * (usage rows, analytics, retention) on its own connection; undefined for other stores.
   * Open the store first: the thread opens the file the main connection created.
   */
  fileThread(): SqliteWorker | undefined {
    if (!this.isFile || this.closed) return undefined;
    const options = this.dataSource.options as { database: string; nativeBinding?: string };
    this.thread ??= new SqliteWorker({
      file: options.database,
      driverPath: require.resolve('better-sqlite3'),
      nativeBinding: options.nativeBinding,
      busyTimeoutMs: SQLITE_BUSY_TIMEOUT_MS,
    });
    return this.thread;
  }

  /** Tries to open the store at boot; a failure is logged, not thrown. */
  async onModuleInit(): Promise<void> {
    try {
      await this.open();
    } catch (error) {
      this.logger.warn({
        msg: 'usage store unavailable at start-up; rows are buffered until it returns',
        store: this.kind,
        error: errorText(error),
      });
    }
  }

  /** The open, migrated data source; opens it if needed (rejects while the database is down). */
  open(): Promise<DataSource> {
    if (this.closed) return Promise.reject(new Error('usage store is closed'));
    if (this.dataSource.isInitialized && (this.migrated || !this.options.runMigrations)) {
      return Promise.resolve(this.dataSource);
    }
    this.opening ??= this.connect().finally(() => {
      this.opening = undefined;
    });
    return this.opening;
  }

  /** Closes the connection (after the usage writer has flushed, on application shutdown). */
  async onApplicationShutdown(): Promise<void> {
    await this.close();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.opening?.catch(() => undefined);
    await this.thread?.close();
    if (this.dataSource.isInitialized) await this.dataSource.destroy();
  }

  private async connect(): Promise<DataSource> {
    if (!this.dataSource.isInitialized) await this.dataSource.initialize();
    if (this.options.runMigrations && !this.migrated) {
      const applied = await runMigrations(this.dataSource).catch((error: unknown) => {
        // Two processes starting on a new file: the one that lost the race for the write
        // lock finds the other's migrations done on a second look.
        if (!this.isFile) throw error;
        return runMigrations(this.dataSource);
      });
      this.migrated = true;
      if (applied.length > 0) this.logger.log({ msg: 'usage store migrated', applied });
    }
    return this.dataSource;
  }
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
