import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn } from 'typeorm';

/**
 * Adds `usage_log.ingress` (the API door a request came through: chat completions,
 * responses, messages, …) and `usage_log.reasoning_tokens` (the completion tokens a
 * model spent reasoning). Existing rows keep null and 0: their door was not recorded.
 */
export class AddIngressReasoning1765324800000 implements MigrationInterface {
  readonly name = 'AddIngressReasoning1765324800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumns('usage_log', [
      new TableColumn({ name: 'ingress', type: 'varchar', isNullable: true }),
      new TableColumn({ name: 'reasoning_tokens', type: 'integer', default: 0 }),
    ]);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('usage_log', 'reasoning_tokens');
    await queryRunner.dropColumn('usage_log', 'ingress');
  }
}
