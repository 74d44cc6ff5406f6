import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Reports: a projection of the outbox (`domain_events`), rebuilt from it on demand
 * (`npm run cli -- reports:rebuild`). reporting_events holds Chatwoot's reporting events
 * (first_response, reply_time, conversation_resolved, conversation_opened,
 * conversation_bot_handoff); report_rollups sums them per account, agent, inbox, team, label
 * (and status, inbox x label) and UTC hour and day, so a report reads rollup rows, never messages.
 * report_conversations and report_inboxes are the state the projection needs between events.
 *
 * Audit logs: one row per administrator action, kept AUDIT_LOG_RETENTION_DAYS.
 */
export class ReportsAndAuditLogs1795486000000 implements MigrationInterface {
  name = 'ReportsAndAuditLogs1795486000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The projection reads settled events in (tx_id, id) order.
    await queryRunner.query(`CREATE INDEX domain_events_tx_order ON domain_events (tx_id, id)`);
    await queryRunner.query(`
      CREATE TABLE report_projection (
        name varchar(32) PRIMARY KEY,
        last_tx_id xid8 NOT NULL DEFAULT '0',
        last_event_id bigint NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(`
      CREATE TABLE report_inboxes (
        inbox_id integer PRIMARY KEY,
        account_id integer NOT NULL,
        name varchar(255) NOT NULL,
        channel_type varchar(64) NOT NULL DEFAULT 'Channel::Api',
        timezone varchar(64) NOT NULL DEFAULT 'UTC',
        working_hours_enabled boolean NOT NULL DEFAULT false,
        working_hours jsonb NOT NULL DEFAULT '[]'
      )`);
    await queryRunner.query(
      `CREATE INDEX report_inboxes_account_idx ON report_inboxes (account_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE report_conversations (
        conversation_id integer PRIMARY KEY,
        account_id integer NOT NULL,
        inbox_id integer NOT NULL,
        display_id integer NOT NULL,
        created_at timestamptz NOT NULL,
        status varchar(16) NOT NULL,
        assignee_id integer,
        team_id integer,
        labels text[] NOT NULL DEFAULT '{}',
        first_reply_at timestamptz,
        waiting_since timestamptz,
        last_resolved_at timestamptz,
        handoff_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX report_conversations_display_idx ON report_conversations (account_id, display_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX report_conversations_open_idx ON report_conversations (account_id, assignee_id)
         WHERE status = 'open'`,
    );
    await queryRunner.query(`
      CREATE TABLE reporting_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL,
        name varchar(40) NOT NULL,
        value double precision NOT NULL,
        value_in_business_hours double precision NOT NULL,
        event_start_time timestamptz NOT NULL,
        event_end_time timestamptz NOT NULL,
        inbox_id integer,
        user_id integer,
        team_id integer,
        conversation_id integer,
        display_id integer,
        source_event_id bigint NOT NULL,
        created_at timestamptz NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX reporting_events_account_idx ON reporting_events (account_id, created_at, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX reporting_events_conversation_idx ON reporting_events (conversation_id, created_at)`,
    );
    await queryRunner.query(`
      CREATE TABLE report_rollups (
        account_id integer NOT NULL,
        dimension varchar(16) NOT NULL,
        dimension_key varchar(300) NOT NULL,
        hour timestamptz NOT NULL,
        conversations integer NOT NULL DEFAULT 0,
        incoming_messages integer NOT NULL DEFAULT 0,
        outgoing_messages integer NOT NULL DEFAULT 0,
        resolutions integer NOT NULL DEFAULT 0,
        resolution_sum double precision NOT NULL DEFAULT 0,
        resolution_bh_sum double precision NOT NULL DEFAULT 0,
        first_responses integer NOT NULL DEFAULT 0,
        first_response_sum double precision NOT NULL DEFAULT 0,
        first_response_bh_sum double precision NOT NULL DEFAULT 0,
        replies integer NOT NULL DEFAULT 0,
        reply_sum double precision NOT NULL DEFAULT 0,
        reply_bh_sum double precision NOT NULL DEFAULT 0,
        reopens integer NOT NULL DEFAULT 0,
        bot_handoffs integer NOT NULL DEFAULT 0,
        frt_under_1h integer NOT NULL DEFAULT 0,
        frt_1_4h integer NOT NULL DEFAULT 0,
        frt_4_8h integer NOT NULL DEFAULT 0,
        frt_8_24h integer NOT NULL DEFAULT 0,
        frt_over_24h integer NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, dimension, dimension_key, hour)
      )`);
    // Summaries read one dimension of an account over a range of hours.
    await queryRunner.query(
      `CREATE INDEX report_rollups_range_idx ON report_rollups (account_id, dimension, hour)`,
    );
    // The same sums per UTC day: a summary reads whole days here and only its edges by the hour.
    await queryRunner.query(`
      CREATE TABLE report_rollups_daily (
        account_id integer NOT NULL,
        dimension varchar(16) NOT NULL,
        dimension_key varchar(300) NOT NULL,
        day timestamptz NOT NULL,
        conversations integer NOT NULL DEFAULT 0,
        incoming_messages integer NOT NULL DEFAULT 0,
        outgoing_messages integer NOT NULL DEFAULT 0,
        resolutions integer NOT NULL DEFAULT 0,
        resolution_sum double precision NOT NULL DEFAULT 0,
        resolution_bh_sum double precision NOT NULL DEFAULT 0,
        first_responses integer NOT NULL DEFAULT 0,
        first_response_sum double precision NOT NULL DEFAULT 0,
        first_response_bh_sum double precision NOT NULL DEFAULT 0,
        replies integer NOT NULL DEFAULT 0,
        reply_sum double precision NOT NULL DEFAULT 0,
        reply_bh_sum double precision NOT NULL DEFAULT 0,
        reopens integer NOT NULL DEFAULT 0,
        bot_handoffs integer NOT NULL DEFAULT 0,
        frt_under_1h integer NOT NULL DEFAULT 0,
        frt_1_4h integer NOT NULL DEFAULT 0,
        frt_4_8h integer NOT NULL DEFAULT 0,
        frt_8_24h integer NOT NULL DEFAULT 0,
        frt_over_24h integer NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, dimension, dimension_key, day)
      )`);
    await queryRunner.query(
      `CREATE INDEX report_rollups_daily_range_idx ON report_rollups_daily (account_id, dimension, day)`,
    );
    await queryRunner.query(`
      CREATE TABLE audit_logs (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        auditable_type varchar(64) NOT NULL,
        auditable_id bigint,
        action varchar(16) NOT NULL,
        operation varchar(300) NOT NULL,
        audited_changes jsonb NOT NULL DEFAULT '{}',
        user_id integer,
        username varchar(255),
        remote_address varchar(64),
        request_uuid varchar(64) NOT NULL,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX audit_logs_account_idx ON audit_logs (account_id, id DESC)`,
    );
    await queryRunner.query(`CREATE INDEX audit_logs_created_idx ON audit_logs (created_at)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_logs`);
    await queryRunner.query(`DROP TABLE report_rollups_daily`);
    await queryRunner.query(`DROP TABLE report_rollups`);
    await queryRunner.query(`DROP TABLE reporting_events`);
    await queryRunner.query(`DROP TABLE report_conversations`);
    await queryRunner.query(`DROP TABLE report_inboxes`);
    await queryRunner.query(`DROP TABLE report_projection`);
    await queryRunner.query(`DROP INDEX domain_events_tx_order`);
  }
}
