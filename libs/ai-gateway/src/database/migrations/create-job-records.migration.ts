import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from 'typeorm';

const TABLE = 'job_records';

/**
 * Creates `job_records`: the in-process task queue's jobs (data, state, result or error as
 * JSON text), so the embedded default's job history survives a restart. Same schema API as
 * the other migrations, so it runs on PostgreSQL and the embedded store.
 */
export class CreateJobRecords1765584000000 implements MigrationInterface {
  readonly name = 'CreateJobRecords1765584000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.dataSource.driver.options.type === 'postgres';
    const time = postgres ? 'timestamptz' : 'datetime';
    await queryRunner.createTable(
      new Table({
        name: TABLE,
        columns: [
          {
            name: 'id',
            type: 'varchar',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_job_records',
          },
          { name: 'type', type: 'varchar', isNullable: false },
          { name: 'state', type: 'varchar', isNullable: false },
          { name: 'attempts', type: 'integer', isNullable: false },
          { name: 'max_attempts', type: 'integer', isNullable: false },
          { name: 'created_at', type: time, isNullable: false },
          { name: 'started_at', type: time, isNullable: true },
          { name: 'finished_at', type: time, isNullable: true },
          { name: 'data', type: 'text', isNullable: false },
          { name: 'result', type: 'text', isNullable: true },
          { name: 'error', type: 'text', isNullable: true },
        ],
      }),
      true,
    );
    await queryRunner.createIndex(
      TABLE,
      new TableIndex({
        name: 'idx_job_records_state_finished_at',
        columnNames: ['state', 'finished_at'],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(TABLE, true);
  }
}
