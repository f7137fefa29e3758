import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn } from 'typeorm';

/**
 * Adds `gateway_keys.multi_user`: a trusted multi-user backend whose requests may name the
 * user they act for (`x-gateway-user`, OpenAI's `user`). False for every existing key, so
 * after the upgrade no key can name another user until an admin marks it.
 */
export class AddKeyMultiUser1765065600000 implements MigrationInterface {
  readonly name = 'AddKeyMultiUser1765065600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'gateway_keys',
      new TableColumn({ name: 'multi_user', type: 'boolean', isNullable: false, default: false }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('gateway_keys', 'multi_user');
  }
}
