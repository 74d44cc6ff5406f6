import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Chatwoot's account resources: account labels (titles lower-cased and unique per account, as
 * Chatwoot stores them; `renaming_from` holds old titles whose rename has not yet reached every
 * conversation), contact labels (a set on the contact, like a conversation's), canned
 * responses (short codes unique per account) and custom filters (saved per user).
 */
export class AccountResources1795482000000 implements MigrationInterface {
  name = 'AccountResources1795482000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE labels (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        title varchar(255) NOT NULL,
        description text,
        color varchar(7) NOT NULL DEFAULT '#1f93ff',
        show_on_sidebar boolean NOT NULL DEFAULT false,
        renaming_from text[] NOT NULL DEFAULT '{}',
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT labels_account_title_key UNIQUE (account_id, title)
      )`);
    await queryRunner.query(`ALTER TABLE contacts ADD COLUMN labels text[] NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`CREATE INDEX contacts_labels_idx ON contacts USING gin (labels)`);
    await queryRunner.query(`
      CREATE TABLE canned_responses (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        short_code varchar(255) NOT NULL,
        content text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT canned_responses_account_short_code_key UNIQUE (account_id, short_code)
      )`);
    await queryRunner.query(`
      CREATE TABLE custom_filters (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        filter_type varchar(16) NOT NULL CHECK (filter_type IN ('conversation', 'contact', 'report')),
        query jsonb NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX custom_filters_account_user_idx ON custom_filters (account_id, user_id, filter_type)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE custom_filters`);
    await queryRunner.query(`DROP TABLE canned_responses`);
    await queryRunner.query(`ALTER TABLE contacts DROP COLUMN labels`);
    await queryRunner.query(`DROP TABLE labels`);
  }
}
