import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn } from 'typeorm';

/**
 * Adds `usage_log.client_request_id`: the id a caller sent (`x-client-request-id` or
 * `x-request-id`). It used to be the row's key, which let a caller merge requests, skip
 * budget holds or make another tenant's row fail; the key is now always the gateway's.
 */
export class AddClientRequestId1765152000000 implements MigrationInterface {
  readonly name = 'AddClientRequestId1765152000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'usage_log',
      new TableColumn({ name: 'client_request_id', type: 'varchar', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('usage_log', 'client_request_id');
  }
}
