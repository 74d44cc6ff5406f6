import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The snooze wake-up's work list: snoozed conversations with a wake-up time, earliest first, so
 * each pass reads only the due ones instead of scanning every conversation.
 */
export class SnoozedUntilIndex1795495000000 implements MigrationInterface {
  name = 'SnoozedUntilIndex1795495000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX conversations_snoozed_until_idx ON conversations (snoozed_until, id)
        WHERE status = 'snoozed' AND snoozed_until IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX conversations_snoozed_until_idx`);
  }
}
