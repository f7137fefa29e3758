import type { MigrationInterface, QueryRunner } from 'typeorm';
import { Table, TableIndex } from 'typeorm';

const TABLE = 'gateway_keys';

/**
 * Creates `gateway_keys` (the secret's keyed hash, never the secret). Same schema API as
 * the usage log's migration, so it runs on PostgreSQL and on the embedded store.
 */
export class CreateGatewayKeys1763856000000 implements MigrationInterface {
  readonly name = 'CreateGatewayKeys1763856000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const postgres = queryRunner.dataSource.driver.options.type === 'postgres';
    const time = postgres ? 'timestamptz' : 'datetime';
    const optional = (name: string, type = 'varchar') => ({ name, type, isNullable: true });
    await queryRunner.createTable(
      new Table({
        name: TABLE,
        columns: [
          {
            name: 'id',
            type: 'varchar',
            isPrimary: true,
            primaryKeyConstraintName: 'pk_gateway_keys',
          },
          { name: 'name', type: 'varchar', isNullable: false },
          { name: 'secret_hash', type: 'varchar', isNullable: false },
          { name: 'hint', type: 'varchar', isNullable: false },
          optional('user_id'),
          optional('team_id'),
          optional('allowed_models', 'text'),
          optional('budget', 'text'),
          optional('limits', 'text'),
          optional('expires_at', time),
          optional('disabled_at', time),
          { name: 'created_at', type: time, isNullable: false },
          optional('rotated_at', time),
        ],
      }),
      true,
    );
    await queryRunner.createIndex(
      TABLE,
      new TableIndex({
        name: 'uq_gateway_keys_secret_hash',
        columnNames: ['secret_hash'],
        isUnique: true,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropTable(TABLE, true);
  }
}
