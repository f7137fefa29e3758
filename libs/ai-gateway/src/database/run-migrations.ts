import type { DataSource } from 'typeorm';
import type { StoreLocation, UsageDataSourceOptions } from './usage-data-source';
import { createUsageDataSource } from './usage-data-source';

/**
 * Runs the pending migrations on an initialized data source, each in its own
 * transaction; returns the names applied (empty when the schema is current). On
 * PostgreSQL a configured schema is created first.
 */
export async function runMigrations(dataSource: DataSource): Promise<string[]> {
  const options = dataSource.options;
  if (options.type === 'postgres' && options.schema) {
    await dataSource.query(`CREATE SCHEMA IF NOT EXISTS "${options.schema.replace(/"/g, '""')}"`);
  }
  const applied = await dataSource.runMigrations({ transaction: 'each' });
  return applied.map((migration) => migration.name);
}

/**
 * The migration command: opens the configured store, migrates it and closes it. For an
 * app entry point (`npm run migrate`); the embedded in-memory store has nothing to keep.
 */
export async function migrateUsageStore(
  settings: StoreLocation,
  options: UsageDataSourceOptions = {},
): Promise<string[]> {
  const dataSource = createUsageDataSource(settings, options);
  await dataSource.initialize();
  try {
    return await runMigrations(dataSource);
  } finally {
    await dataSource.destroy();
  }
}
