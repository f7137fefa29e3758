import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn } from 'typeorm';

/**
 * Adds `usage_log.guardrails`: what the request's middleware decided
 * (`pii_scrubber=masked:2, prompt_injection_detector=flagged:…`); null without middleware,
 * and for every row written before.
 */
export class AddGuardrails1765756800000 implements MigrationInterface {
  readonly name = 'AddGuardrails1765756800000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'usage_log',
      new TableColumn({ name: 'guardrails', type: 'varchar', length: '1000', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('usage_log', 'guardrails');
  }
}
