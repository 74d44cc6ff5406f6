import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateAccounts1795400000000 implements MigrationInterface {
  name = 'CreateAccounts1795400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE accounts (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name varchar(255) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE users (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        name varchar(255) NOT NULL,
        display_name varchar(255),
        email varchar(255) NOT NULL,
        password_hash text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE UNIQUE INDEX users_email_key ON users (lower(email))`);
    await queryRunner.query(`
      CREATE TABLE account_users (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        role varchar(16) NOT NULL CHECK (role IN ('administrator', 'agent')),
        availability varchar(16) NOT NULL DEFAULT 'offline'
          CHECK (availability IN ('online', 'busy', 'offline')),
        auto_offline boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT account_users_account_user_key UNIQUE (account_id, user_id)
      )`);
    await queryRunner.query(`CREATE INDEX account_users_user_id_idx ON account_users (user_id)`);
    await queryRunner.query(`
      CREATE TABLE access_tokens (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        kind varchar(16) NOT NULL CHECK (kind IN ('personal', 'sign_in')),
        token_hash char(64) NOT NULL,
        hint varchar(16) NOT NULL,
        expires_at timestamptz,
        last_used_at timestamptz,
        revoked_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT access_tokens_token_hash_key UNIQUE (token_hash)
      )`);
    await queryRunner.query(`CREATE INDEX access_tokens_user_id_idx ON access_tokens (user_id)`);
    await queryRunner.query(`
      CREATE TABLE teams (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        description text,
        allow_auto_assign boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX teams_account_name_key ON teams (account_id, lower(name))`,
    );
    await queryRunner.query(`
      CREATE TABLE team_members (
        team_id integer NOT NULL REFERENCES teams (id) ON DELETE CASCADE,
        user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (team_id, user_id)
      )`);
    await queryRunner.query(`CREATE INDEX team_members_user_id_idx ON team_members (user_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE team_members`);
    await queryRunner.query(`DROP TABLE teams`);
    await queryRunner.query(`DROP TABLE access_tokens`);
    await queryRunner.query(`DROP TABLE account_users`);
    await queryRunner.query(`DROP TABLE users`);
    await queryRunner.query(`DROP TABLE accounts`);
  }
}
