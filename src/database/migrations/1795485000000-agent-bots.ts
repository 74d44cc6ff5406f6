import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Agent bots: the bots of an account (their access token hashed), the bot an inbox hands its new
 * conversations to, a conversation's bot assignee, and the webhook endpoint kind that carries a
 * bot's events to its outgoing_url (one endpoint per bot, with its own secret).
 */
export class AgentBots1795485000000 implements MigrationInterface {
  name = 'AgentBots1795485000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE agent_bots (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        description text,
        outgoing_url text,
        bot_type smallint NOT NULL DEFAULT 0,
        bot_config jsonb NOT NULL DEFAULT '{}',
        avatar_url text,
        access_token_hash varchar(64) NOT NULL UNIQUE,
        access_token_hint varchar(16) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`CREATE INDEX agent_bots_account_idx ON agent_bots (account_id)`);
    await queryRunner.query(
      `ALTER TABLE inboxes ADD COLUMN agent_bot_id integer REFERENCES agent_bots (id) ON DELETE SET NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX inboxes_agent_bot_idx ON inboxes (agent_bot_id) WHERE agent_bot_id IS NOT NULL`,
    );
    await queryRunner.query(
      `ALTER TABLE conversations ADD COLUMN assignee_agent_bot_id integer REFERENCES agent_bots (id) ON DELETE SET NULL`,
    );
    await queryRunner.query(`
      ALTER TABLE webhook_endpoints
        DROP CONSTRAINT webhook_endpoints_kind_check,
        ADD CONSTRAINT webhook_endpoints_kind_check CHECK (kind IN ('account', 'inbox', 'agent_bot')),
        ADD COLUMN agent_bot_id integer REFERENCES agent_bots (id) ON DELETE CASCADE,
        DROP CONSTRAINT webhook_endpoints_check,
        ADD CONSTRAINT webhook_endpoints_check CHECK (kind <> 'inbox' OR inbox_id IS NOT NULL),
        ADD CONSTRAINT webhook_endpoints_agent_bot_check CHECK (kind <> 'agent_bot' OR agent_bot_id IS NOT NULL)`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX webhook_endpoints_agent_bot_key ON webhook_endpoints (agent_bot_id) WHERE kind = 'agent_bot'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM webhook_endpoints WHERE kind = 'agent_bot'`);
    await queryRunner.query(`
      ALTER TABLE webhook_endpoints DROP COLUMN agent_bot_id,
        DROP CONSTRAINT webhook_endpoints_check,
        ADD CONSTRAINT webhook_endpoints_check CHECK (kind = 'account' OR inbox_id IS NOT NULL),
        DROP CONSTRAINT webhook_endpoints_kind_check,
        ADD CONSTRAINT webhook_endpoints_kind_check CHECK (kind IN ('account', 'inbox'))`);
    await queryRunner.query(`ALTER TABLE conversations DROP COLUMN assignee_agent_bot_id`);
    await queryRunner.query(`ALTER TABLE inboxes DROP COLUMN agent_bot_id`);
    await queryRunner.query(`DROP TABLE agent_bots`);
  }
}
