import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { migrateUsageStore, runMigrations } from './run-migrations';
import { createUsageDataSource, GATEWAY_MIGRATIONS_TABLE } from './usage-data-source';
import { dropSchema, TEST_DATABASE_URL } from '../usage/usage.fixtures';

describe('runMigrations', () => {
  let schema: string;
  beforeEach(() => {
    schema = `usage_test_${randomBytes(6).toString('hex')}`;
  });
  afterEach(async () => {
    await dropSchema(schema);
  });

  it('creates the schema, the table and its indexes once; a second run applies nothing', async () => {
    const settings = { databaseUrl: TEST_DATABASE_URL, schema };
    expect(await migrateUsageStore(settings)).toEqual([
      'CreateUsageLog1763769600000',
      'CreateGatewayKeys1763856000000',
      'AddCostSaved1763942400000',
      'AddKeyMultiUser1765065600000',
      'AddClientRequestId1765152000000',
      'CreateStoredResponses1765238400000',
      'AddIngressReasoning1765324800000',
      'CreateProviderObjects1765411200000',
      'AddProviderObjectOwner1765497600000',
      'CreateJobRecords1765584000000',
      'AddPromptText1765670400000',
      'AddGuardrails1765756800000',
    ]);
    expect(await migrateUsageStore(settings)).toEqual([]);

    const admin = new DataSource({ type: 'postgres', url: TEST_DATABASE_URL, poolSize: 1 });
    await admin.initialize();
    try {
      const columns = await admin.query<Array<{ column_name: string; data_type: string }>>(
        `SELECT column_name, data_type FROM information_schema.columns
         WHERE table_schema = $1 AND table_name = 'usage_log' AND column_name IN ('created_at', 'cost_micro_usd', 'priced')
         ORDER BY column_name`,
        [schema],
      );
      expect(columns).toEqual([
        { column_name: 'cost_micro_usd', data_type: 'bigint' },
        { column_name: 'created_at', data_type: 'timestamp with time zone' },
        { column_name: 'priced', data_type: 'boolean' },
      ]);
      const indexes = await admin.query<Array<{ indexname: string; indexdef: string }>>(
        `SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = $1 AND tablename = 'usage_log' ORDER BY indexname`,
        [schema],
      );
      expect(indexes.map((i) => i.indexname)).toEqual([
        'idx_usage_log_created_at',
        'idx_usage_log_provider_model_created_at',
        'idx_usage_log_team_created_at',
        'idx_usage_log_user_created_at',
        'pk_usage_log',
      ]);
      expect(indexes[4].indexdef).toContain('UNIQUE INDEX pk_usage_log ON');
      expect(indexes[4].indexdef).toContain('(request_id)');
      expect(indexes[3].indexdef).toContain('(user_id, created_at)');
      const [{ count }] = await admin.query<Array<{ count: number }>>(
        `SELECT count(*)::int AS count FROM "${schema}"."${GATEWAY_MIGRATIONS_TABLE}"`,
      );
      // usage_log, gateway_keys, the cost-saved, multi-user and client-request-id columns,
      // stored_responses, the ingress and reasoning-token columns, provider_objects and its
      // user and team columns, job_records, prompt_text, guardrails
      expect(count).toBe(12);
    } finally {
      await admin.destroy();
    }
  });

  it.each([
    ['sql.js in memory', {}],
    ['the file store (better-sqlite3)', { store: 'file' as const }],
  ])('builds the same table in the embedded store: %s', async (_name, location) => {
    const dataDir = await mkdtemp(join(tmpdir(), 'migrations-'));
    const dataSource = createUsageDataSource({ ...location, dataDir });
    await dataSource.initialize();
    try {
      expect(await runMigrations(dataSource)).toEqual([
        'CreateUsageLog1763769600000',
        'CreateGatewayKeys1763856000000',
        'AddCostSaved1763942400000',
        'AddKeyMultiUser1765065600000',
        'AddClientRequestId1765152000000',
        'CreateStoredResponses1765238400000',
        'AddIngressReasoning1765324800000',
        'CreateProviderObjects1765411200000',
        'AddProviderObjectOwner1765497600000',
        'CreateJobRecords1765584000000',
        'AddPromptText1765670400000',
        'AddGuardrails1765756800000',
      ]);
      const indexes = await dataSource.query<Array<{ name: string }>>(
        `SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'usage_log' AND name LIKE 'idx_%' ORDER BY name`,
      );
      expect(indexes.map((i) => i.name)).toEqual([
        'idx_usage_log_created_at',
        'idx_usage_log_provider_model_created_at',
        'idx_usage_log_team_created_at',
        'idx_usage_log_user_created_at',
      ]);
      // A second run applies nothing.
      expect(await runMigrations(dataSource)).toEqual([]);
    } finally {
      await dataSource.destroy();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
