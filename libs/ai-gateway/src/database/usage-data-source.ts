import type { MigrationInterface } from 'typeorm';
import { DataSource } from 'typeorm';
import { USAGE_MIGRATIONS } from './migrations/usage-migrations';
import { GatewayKeyEntity } from './gateway-key.entity';
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
];

/** Where the gateway's store lives: the part of the `usage` settings the database reads. */
export interface StoreLocation {
  /** PostgreSQL URL (`DATABASE_URL`); absent → embedded sql.js store. */
  databaseUrl?: string;
  /** PostgreSQL schema of the tables; absent → the connection's default (`public`). */
  schema?: string;
  /** Embedded store only: persist the sql.js database to this file (in memory when absent). */
  sqlitePath?: string;
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
 * The TypeORM data source of the usage store: PostgreSQL when `databaseUrl` is set,
 * otherwise sql.js in memory (persisted to `sqlitePath` when set) with the same entities
 * and migrations. Not initialized: {@link UsageDatabase} (or the migration command) does that.
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
  return new DataSource({
    type: 'sqljs',
    entities,
    migrations,
    migrationsTableName: GATEWAY_MIGRATIONS_TABLE,
    location: settings.sqlitePath,
    autoSave: settings.sqlitePath !== undefined,
    logging: false,
  });
}
