import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Idempotency keys learn, in the same transaction as the request's own writes, that their
 * request was applied, so that a retry after a crash or an error never runs it a second time.
 */
export class IdempotencyApplied1795440000000 implements MigrationInterface {
  name = 'IdempotencyApplied1795440000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // claim_id: the attempt that holds the key (a takeover of an abandoned key draws a new one);
    // only that attempt may mark the key applied or store its answer.
    // applied_at: set just before the COMMIT of each transaction the request runs, so it is
    // committed if and only if the request's changes are.
    await queryRunner.query(
      `ALTER TABLE idempotency_keys ADD COLUMN claim_id uuid, ADD COLUMN applied_at timestamptz`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE idempotency_keys DROP COLUMN applied_at, DROP COLUMN claim_id`,
    );
  }
}
