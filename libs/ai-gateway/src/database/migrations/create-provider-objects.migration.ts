import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from 'typeorm';

const TABLE = 'provider_objects';

/**
 * Creates `provider_objects`: the files and batches made through the gateway, with the
 * provider that holds each and the key that owns it. Same schema API as the other
 * migrations, so it runs on PostgreSQL and the embedded store.
 */
export class CreateProviderObjects1765411200000 implements MigrationInterface {
  readonly name = 'CreateProviderObjects1765411200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.dataSource.driver.options.type === 'postgres';
    await queryRunner.createTable(
      new Table({
        name: TABLE,
        columns: [
          {
            name: 'id',
            type: 'varchar',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_provider_objects',
          },
          { name: 'kind', type: 'varchar', isNullable: false },
          { name: 'provider', type: 'varchar', isNullable: false },
          { name: 'key_id', type: 'varchar', isNullable: true },
          { name: 'created_at', type: postgres ? 'timestamptz' : 'datetime', isNullable: false },
          { name: 'object', type: 'text', isNullable: false },
          { name: 'accounted', type: 'boolean', isNullable: false, default: false },
        ],
      }),
      true,
    );
    await queryRunner.createIndex(
      TABLE,
      new TableIndex({
        name: 'idx_provider_objects_owner',
        columnNames: ['key_id', 'kind', 'created_at'],
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(TABLE, true);
  }
}
