import { fieldFromEnv, schemaSection } from './config-section';
import { UsageConfig } from './usage-config.schema';

/** `usage`: the usage log; `DATABASE_URL` points it at PostgreSQL. */
export const usageSection = schemaSection('usage', UsageConfig, {
  envShortcuts: [fieldFromEnv('DATABASE_URL', 'databaseUrl')],
});
