import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Webhook endpoints, deliveries and attempts; outbox dispatch marker and commit-order id. */
export class CreateWebhooks1795420000000 implements MigrationInterface {
  name = 'CreateWebhooks1795420000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // dispatched_at: the relay turned the event into deliveries. tx_id: the writing transaction,
    // so the event feed never hands out a cursor past an event that has yet to commit.
    await queryRunner.query(`ALTER TABLE domain_events ADD COLUMN dispatched_at timestamptz`);
    await queryRunner.query(
      `ALTER TABLE domain_events ADD COLUMN tx_id xid8 NOT NULL DEFAULT pg_current_xact_id()`,
    );
    await queryRunner.query(
      `CREATE INDEX domain_events_undispatched_idx ON domain_events (id) WHERE dispatched_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX domain_events_conversation_idx ON domain_events (conversation_id, id) WHERE conversation_id IS NOT NULL`,
    );

    await queryRunner.query(`ALTER TABLE inboxes ADD COLUMN webhook_previous_secret varchar(64)`);
    await queryRunner.query(
      `ALTER TABLE inboxes ADD COLUMN webhook_previous_secret_expires_at timestamptz`,
    );

    await queryRunner.query(`
      CREATE TABLE webhook_endpoints (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        kind varchar(16) NOT NULL CHECK (kind IN ('account', 'inbox')),
        inbox_id integer REFERENCES inboxes (id) ON DELETE CASCADE,
        name varchar(255),
        url text,
        subscriptions text[] NOT NULL DEFAULT '{}',
        secret varchar(64),
        previous_secret varchar(64),
        previous_secret_expires_at timestamptz,
        disabled_at timestamptz,
        disabled_reason text,
        failing_since timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CHECK (kind = 'account' OR inbox_id IS NOT NULL)
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_endpoints_account_idx ON webhook_endpoints (account_id)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX webhook_endpoints_inbox_key ON webhook_endpoints (inbox_id) WHERE kind = 'inbox'`,
    );

    await queryRunner.query(`
      CREATE TABLE webhook_deliveries (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        endpoint_id integer NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        event_row_id bigint NOT NULL REFERENCES domain_events (id) ON DELETE CASCADE,
        stream varchar(64) NOT NULL,
        sequence integer NOT NULL,
        status varchar(16) NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
        attempts integer NOT NULL DEFAULT 0,
        next_attempt_at timestamptz NOT NULL DEFAULT now(),
        locked_until timestamptz,
        last_status_code integer,
        last_error text,
        delivered_at timestamptz,
        failed_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT webhook_deliveries_endpoint_event_key UNIQUE (endpoint_id, event_row_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_order_idx ON webhook_deliveries (endpoint_id, stream, sequence) WHERE status = 'pending'`,
    );
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_endpoint_idx ON webhook_deliveries (endpoint_id, id DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE webhook_delivery_attempts (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        delivery_id bigint NOT NULL REFERENCES webhook_deliveries (id) ON DELETE CASCADE,
        attempted_at timestamptz NOT NULL DEFAULT now(),
        status_code integer,
        duration_ms integer NOT NULL,
        response_excerpt text,
        error text
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_delivery_attempts_delivery_idx ON webhook_delivery_attempts (delivery_id, id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE webhook_delivery_attempts`);
    await queryRunner.query(`DROP TABLE webhook_deliveries`);
    await queryRunner.query(`DROP TABLE webhook_endpoints`);
    await queryRunner.query(`ALTER TABLE inboxes DROP COLUMN webhook_previous_secret_expires_at`);
    await queryRunner.query(`ALTER TABLE inboxes DROP COLUMN webhook_previous_secret`);
    await queryRunner.query(`DROP INDEX domain_events_conversation_idx`);
    await queryRunner.query(`DROP INDEX domain_events_undispatched_idx`);
    await queryRunner.query(`ALTER TABLE domain_events DROP COLUMN tx_id`);
    await queryRunner.query(`ALTER TABLE domain_events DROP COLUMN dispatched_at`);
  }
}
