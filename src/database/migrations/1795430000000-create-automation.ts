import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Inbox assignment policies, automation rules and their run log. */
export class CreateAutomation1795430000000 implements MigrationInterface {
  name = 'CreateAutomation1795430000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE assignment_policies (
        inbox_id integer PRIMARY KEY REFERENCES inboxes (id) ON DELETE CASCADE,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        strategy varchar(16) NOT NULL DEFAULT 'round_robin' CHECK (strategy IN ('round_robin', 'balanced')),
        capacity_in_inbox integer CHECK (capacity_in_inbox > 0),
        capacity_overall integer CHECK (capacity_overall > 0),
        include_offline_agents boolean NOT NULL DEFAULT false,
        keep_assignee_on_reopen boolean NOT NULL DEFAULT false,
        last_assigned_user_id integer,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE automation_rules (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        description text,
        event_name varchar(64) NOT NULL,
        conditions jsonb NOT NULL DEFAULT '[]',
        actions jsonb NOT NULL DEFAULT '[]',
        active boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX automation_rules_account_event_idx ON automation_rules (account_id, event_name) WHERE active`,
    );
    await queryRunner.query(`
      CREATE TABLE automation_rule_runs (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        rule_id integer NOT NULL REFERENCES automation_rules (id) ON DELETE CASCADE,
        event_name varchar(64) NOT NULL,
        event_id uuid,
        conversation_id integer,
        matched boolean NOT NULL,
        reason text NOT NULL,
        actions jsonb NOT NULL DEFAULT '[]',
        errors jsonb NOT NULL DEFAULT '[]',
        dry_run boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX automation_rule_runs_rule_idx ON automation_rule_runs (rule_id, id DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE automation_rule_runs`);
    await queryRunner.query(`DROP TABLE automation_rules`);
    await queryRunner.query(`DROP TABLE assignment_policies`);
  }
}
