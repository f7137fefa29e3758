import type { MigrationInterface, QueryRunner } from 'typeorm';
import { TableColumn } from 'typeorm';

/**
 * Adds `usage_log.prompt_text`: the request's last user message, kept only while
 * `logging.logPrompts` is on (the console shows it in a request's detail). Null otherwise,
 * and for every row written before.
 */
export class AddPromptText1765670400000 implements MigrationInterface {
  readonly name = 'AddPromptText1765670400000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.addColumn(
      'usage_log',
      new TableColumn({ name: 'prompt_text', type: 'text', isNullable: true }),
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.dropColumn('usage_log', 'prompt_text');
  }
}
