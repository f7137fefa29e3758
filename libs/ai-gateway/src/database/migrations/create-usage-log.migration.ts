import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from 'typeorm';

const TABLE = 'usage_log';

/**
 * Creates `usage_log` and its indexes. Written with TypeORM's schema API so the same
 * migration runs on PostgreSQL and on the embedded sql.js store; only the time column
 * differs (`timestamptz` there, `datetime` — stored as UTC text — in SQLite).
 */
export class CreateUsageLog1763769600000 implements MigrationInterface {
  readonly name = 'CreateUsageLog1763769600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.dataSource.driver.options.type === 'postgres';
    const nullableLabel = (name: string) => ({ name, type: 'varchar', isNullable: true });
    const zero = (name: string) => ({ name, type: 'integer', isNullable: false, default: 0 });
    await queryRunner.createTable(
      new Table({
        name: TABLE,
        columns: [
          {
            name: 'request_id',
            type: 'varchar',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_usage_log',
          },
          { name: 'created_at', type: postgres ? 'timestamptz' : 'datetime', isNullable: false },
          nullableLabel('key_id'),
          nullableLabel('user_id'),
          nullableLabel('team_id'),
          nullableLabel('task'),
          nullableLabel('route'),
          nullableLabel('provider'),
          nullableLabel('model'),
          zero('prompt_tokens'),
          zero('completion_tokens'),
          zero('cached_tokens'),
          { name: 'cost_micro_usd', type: 'bigint', isNullable: true },
          { name: 'priced', type: 'boolean', isNullable: false, default: false },
          nullableLabel('price_source'),
          zero('latency_ms'),
          { name: 'ttft_ms', type: 'integer', isNullable: true },
          { name: 'status', type: 'varchar', isNullable: false },
          nullableLabel('error_code'),
          nullableLabel('cache_status'),
          zero('attempts'),
          { name: 'fallback_chain', type: 'text', isNullable: true },
          { name: 'stream', type: 'boolean', isNullable: false, default: false },
          { name: 'stream_completed', type: 'boolean', isNullable: true },
          { name: 'budget_note', type: 'text', isNullable: true },
        ],
      }),
      true,
    );
    const indexes: Array<[string, string[]]> = [
      ['idx_usage_log_created_at', ['created_at']],
      ['idx_usage_log_user_created_at', ['user_id', 'created_at']],
      ['idx_usage_log_team_created_at', ['team_id', 'created_at']],
      ['idx_usage_log_provider_model_created_at', ['provider', 'model', 'created_at']],
    ];
    for (const [name, columnNames] of indexes) {
      await queryRunner.createIndex(TABLE, new TableIndex({ name, columnNames }));
    }
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(TABLE, true);
  }
}
