import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chatwoot's account settings (`GET|PATCH /api/v1/accounts/{id}`), the profile fields of
 * `PUT /api/v1/profile`, and agents invited without a password: they set one with a one-time
 * token, of which only the SHA-256 is kept, until it expires.
 */
export class AccountAndProfileSettings1795480000000 implements MigrationInterface {
  name = 'AccountAndProfileSettings1795480000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE accounts
        ADD COLUMN locale varchar(16) NOT NULL DEFAULT 'en',
        ADD COLUMN domain varchar(255),
        ADD COLUMN support_email varchar(255),
        ADD COLUMN settings jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN custom_attributes jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`
      ALTER TABLE users
        ADD COLUMN message_signature text,
        ADD COLUMN phone_number varchar(32),
        ADD COLUMN ui_settings jsonb NOT NULL DEFAULT '{}',
        ADD COLUMN password_setup_token_hash char(64),
        ADD COLUMN password_setup_expires_at timestamptz`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX users_password_setup_token_hash_key ON users (password_setup_token_hash)
        WHERE password_setup_token_hash IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE users
        DROP COLUMN message_signature, DROP COLUMN phone_number, DROP COLUMN ui_settings,
        DROP COLUMN password_setup_token_hash, DROP COLUMN password_setup_expires_at`);
    await queryRunner.query(`
      ALTER TABLE accounts
        DROP COLUMN locale, DROP COLUMN domain, DROP COLUMN support_email,
        DROP COLUMN settings, DROP COLUMN custom_attributes`);
  }
}
