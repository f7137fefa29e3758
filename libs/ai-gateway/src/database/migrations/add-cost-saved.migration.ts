import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn } from 'typeorm';

/**
 * Adds `usage_log.cost_saved_micro_usd`: on a cache hit, what the answer cost when it was
 * produced (the saving); 0 for every other row, old rows included.
 */
export class AddCostSaved1763942400000 implements MigrationInterface {
  readonly name = 'AddCostSaved1763942400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'usage_log',
      new TableColumn({
        name: 'cost_saved_micro_usd',
        type: 'bigint',
        isNullable: false,
        default: 0,
      }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('usage_log', 'cost_saved_micro_usd');
  }
}
