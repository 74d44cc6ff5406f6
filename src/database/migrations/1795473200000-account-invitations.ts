import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Invitations: adding an existing user to an account asks them first. A pending invitation
 * gives no access; accepting it creates the account_users row, declining or revoking deletes it.
 * Kept apart from account_users so that every membership check stays a plain lookup there.
 */
export class AccountInvitations1795473200000 implements MigrationInterface {
  name = 'AccountInvitations1795473200000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE account_invitations (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        email varchar(255) NOT NULL,
        role varchar(16) NOT NULL,
        availability varchar(16) NOT NULL DEFAULT 'offline',
        auto_offline boolean NOT NULL DEFAULT true,
        invited_by_user_id integer REFERENCES users (id) ON DELETE SET NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT account_invitations_account_user_key UNIQUE (account_id, user_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX account_invitations_user_id_idx ON account_invitations (user_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE account_invitations`);
  }
}
