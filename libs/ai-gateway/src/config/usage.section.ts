import { fieldFromEnv, schemaSection } from './config-section';
import { UsageConfig } from './usage-config.schema';

/**
 * `usage`: the usage log; `DATABASE_URL` points it at PostgreSQL, `AI_GATEWAY_STORE`
 * (`file`/`memory`) and `AI_GATEWAY_DATA_DIR` choose the embedded store.
 */
export const usageSection = schemaSection('usage', UsageConfig, {
  envShortcuts: [
    fieldFromEnv('DATABASE_URL', 'databaseUrl'),
    fieldFromEnv('AI_GATEWAY_STORE', 'store'),
    fieldFromEnv('AI_GATEWAY_DATA_DIR', 'dataDir'),
    fieldFromEnv('BETTER_SQLITE3_BINDING', 'sqliteBinding'),
  ],
});
