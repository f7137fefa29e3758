import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn } from 'typeorm';

/**
 * Adds `provider_objects.user_id` and `team_id`: who made a batch, for a multi-user key
 * whose users share it. Its usage is booked to them, not to whoever retrieves it.
 */
export class AddProviderObjectOwner1765497600000 implements MigrationInterface {
  readonly name = 'AddProviderObjectOwner1765497600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('provider_objects', [
      new TableColumn({ name: 'user_id', type: 'varchar', isNullable: true }),
      new TableColumn({ name: 'team_id', type: 'varchar', isNullable: true }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('provider_objects', 'team_id');
    await queryRunner.dropColumn('provider_objects', 'user_id');
  }
}
