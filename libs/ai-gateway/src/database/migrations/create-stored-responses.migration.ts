import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from 'typeorm';

const TABLE = 'stored_responses';

/**
 * Creates `stored_responses` (the Responses API's `store: true`): the Response object and
 * its conversation as JSON text, the owning key, and the expiry the retention delete uses.
 * Same schema API as the other migrations, so it runs on PostgreSQL and the embedded store.
 */
export class CreateStoredResponses1765238400000 implements MigrationInterface {
  readonly name = 'CreateStoredResponses1765238400000';

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
            primaryKeyConstraintName: 'pk_stored_responses',
          },
          { name: 'key_id', type: 'varchar', isNullable: true },
          { name: 'created_at', type: time, isNullable: false },
          { name: 'expires_at', type: time, isNullable: false },
          { name: 'input', type: 'text', isNullable: false },
          { name: 'response', type: 'text', isNullable: false },
        ],
      }),
      true,
    );
    await queryRunner.createIndex(
      TABLE,
      new TableIndex({ name: 'idx_stored_responses_expires_at', columnNames: ['expires_at'] }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(TABLE, true);
  }
}
