import { join } from 'node:path';
import type { MigrationInterface } from 'typeorm';
import { DataSource } from 'typeorm';
import { USAGE_MIGRATIONS } from './migrations/usage-migrations';
import { GatewayKeyEntity } from './gateway-key.entity';
import { JobRecordEntity } from './job-record.entity';
import { ProviderObjectEntity } from './provider-object.entity';
import { StoredResponseEntity } from './stored-response.entity';
import { UsageLogEntity } from './usage-log.entity';

/** Our own migrations table, so a host app's TypeORM migrations on the same database never mix with ours. */
export const GATEWAY_MIGRATIONS_TABLE = 'ai_gateway_migrations';

/** Every entity of the gateway's store: the usage log and the gateway keys. */
export const USAGE_ENTITIES = [
  UsageLogEntity,
  GatewayKeyEntity,
  StoredResponseEntity,
  ProviderObjectEntity,
  JobRecordEntity,
];

/** The embedded store's kinds: a SQLite file that survives restarts, or this process's memory. */
export type EmbeddedStore = 'file' | 'memory';

/** The file store's file name inside the data directory. */
export const STORE_FILE_NAME = 'gateway.sqlite';

/** How long a file-store statement waits for another process's write lock. */
export const SQLITE_BUSY_TIMEOUT_MS = 5_000;

/** Where the gateway's store lives: the part of the `usage` settings the database reads. */
export interface StoreLocation {
  /** PostgreSQL URL (`DATABASE_URL`); absent → the embedded store. */
  databaseUrl?: string;
  /** PostgreSQL schema of the tables; absent → the connection's default (`public`). */
  schema?: string;
  /** Without a database URL: a SQLite file (`file`) or sql.js in memory (`memory`, the default here). */
  store?: EmbeddedStore;
  /** The file store's directory (created on first start); default `data`. */
  dataDir?: string;
  /** The file store's file; default `<dataDir>/gateway.sqlite`. */
  sqlitePath?: string;
  /** A better-sqlite3 addon built for this Node ABI, when not the installed one. */
  sqliteBinding?: string;
}

/** The file store's SQLite file for these settings. */
export function storeFileOf(settings: StoreLocation): string {
  return settings.sqlitePath ?? join(settings.dataDir ?? 'data', STORE_FILE_NAME);
}

/** Knobs of {@link createUsageDataSource} beyond the config. */
export interface UsageDataSourceOptions {
  /** More entities sharing the database (e.g. gateway keys), registered beside ours. */
  entities?: Array<new () => unknown>;
  /** Their migrations, run after ours in timestamp order. */
  migrations?: Array<new () => MigrationInterface>;
  /** PostgreSQL: longest wait for a connection, so an outage is a fast error. */
  connectTimeoutMs?: number;
  /** PostgreSQL: client-side limit of one query, so a hung server is an error, not a hang. */
  queryTimeoutMs?: number;
  /** PostgreSQL: pooled connections. */
  poolSize?: number;
}

/**
 * The TypeORM data source of the usage store: PostgreSQL when `databaseUrl` is set, else
 * the file store (better-sqlite3, WAL, `store: 'file'`) or sql.js in memory, all with the
 * same entities and migrations. Not initialized: {@link UsageDatabase} (or the migration
 * command) does that.
 */
export function createUsageDataSource(
  settings: StoreLocation,
  options: UsageDataSourceOptions = {},
): DataSource {
  const entities = [...USAGE_ENTITIES, ...(options.entities ?? [])];
  const migrations = [...USAGE_MIGRATIONS, ...(options.migrations ?? [])];
  if (settings.databaseUrl) {
    return new DataSource({
      type: 'postgres',
      url: settings.databaseUrl,
      schema: settings.schema,
      entities,
      migrations,
      migrationsTableName: GATEWAY_MIGRATIONS_TABLE,
      applicationName: 'ai-gateway',
      connectTimeoutMS: options.connectTimeoutMs ?? 3_000,
      poolSize: options.poolSize ?? 4,
      extra: { query_timeout: options.queryTimeoutMs ?? 15_000 },
      logging: false,
    });
  }
  if (settings.store === 'file') {
    return new DataSource({
      type: 'better-sqlite3',
      database: storeFileOf(settings),
      entities,
      migrations,
      migrationsTableName: GATEWAY_MIGRATIONS_TABLE,
      enableWAL: true,
      timeout: SQLITE_BUSY_TIMEOUT_MS,
      nativeBinding: settings.sqliteBinding,
      prepareDatabase: (db: { pragma(source: string): unknown }) => {
        db.pragma('synchronous = NORMAL');
      },
      logging: false,
    });
  }
  return new DataSource({
    type: 'sqljs',
    entities,
    migrations,
    migrationsTableName: GATEWAY_MIGRATIONS_TABLE,
    logging: false,
  });
}
