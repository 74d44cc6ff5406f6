import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Authorization hardening (issue 11).
 *
 * - contact_inboxes.unverified_match: the source_id was linked to an existing contact by an
 *   unverified email or phone match on the Client API. Through it the caller may talk as the
 *   contact but neither read nor change the contact's stored attributes.
 * - users.created_by_account_id: the account whose administrator created the user. An
 *   administrator may rename a user only while the user belongs to that account alone and was
 *   created by it; everyone else's name is their own (PATCH /profile). Null for users made by
 *   setup before this migration or by the CLI: nobody but the user may rename them.
 */
export class AuthorizationHardening1795473100000 implements MigrationInterface {
  name = 'AuthorizationHardening1795473100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE contact_inboxes ADD COLUMN unverified_match boolean NOT NULL DEFAULT false`,
    );
    await queryRunner.query(
      `ALTER TABLE users ADD COLUMN created_by_account_id integer REFERENCES accounts (id) ON DELETE SET NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE users DROP COLUMN created_by_account_id`);
    await queryRunner.query(`ALTER TABLE contact_inboxes DROP COLUMN unverified_match`);
  }
}
