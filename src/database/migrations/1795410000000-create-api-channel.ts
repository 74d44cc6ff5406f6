import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Inboxes, contacts, conversations, messages, the event outbox and idempotency keys. */
export class CreateApiChannel1795410000000 implements MigrationInterface {
  name = 'CreateApiChannel1795410000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE inboxes (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL,
        channel_type varchar(32) NOT NULL DEFAULT 'api',
        identifier varchar(64) NOT NULL,
        hmac_token varchar(64) NOT NULL,
        hmac_mandatory boolean NOT NULL DEFAULT false,
        webhook_url text,
        webhook_secret varchar(64) NOT NULL,
        additional_attributes jsonb NOT NULL DEFAULT '{}',
        enable_auto_assignment boolean NOT NULL DEFAULT true,
        lock_to_single_conversation boolean NOT NULL DEFAULT false,
        allow_messages_after_resolved boolean NOT NULL DEFAULT true,
        greeting_enabled boolean NOT NULL DEFAULT false,
        greeting_message text,
        timezone varchar(64) NOT NULL DEFAULT 'UTC',
        deleted_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT inboxes_identifier_key UNIQUE (identifier)
      )`);
    await queryRunner.query(
      `CREATE INDEX inboxes_account_id_idx ON inboxes (account_id) WHERE deleted_at IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE inbox_members (
        inbox_id integer NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
        user_id integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
        created_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (inbox_id, user_id)
      )`);
    await queryRunner.query(`CREATE INDEX inbox_members_user_id_idx ON inbox_members (user_id)`);

    await queryRunner.query(`
      CREATE TABLE contacts (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        name varchar(255) NOT NULL DEFAULT '',
        email varchar(255),
        phone_number varchar(16),
        identifier varchar(255),
        avatar_url text,
        blocked boolean NOT NULL DEFAULT false,
        custom_attributes jsonb NOT NULL DEFAULT '{}',
        additional_attributes jsonb NOT NULL DEFAULT '{}',
        last_activity_at timestamptz,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX contacts_account_identifier_key ON contacts (account_id, identifier) WHERE identifier IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX contacts_account_email_key ON contacts (account_id, lower(email)) WHERE email IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX contacts_account_phone_key ON contacts (account_id, phone_number) WHERE phone_number IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX contacts_account_created_idx ON contacts (account_id, id DESC)`,
    );
    await queryRunner.query(`
      CREATE TABLE contact_inboxes (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        contact_id integer NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        inbox_id integer NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
        source_id varchar(255) NOT NULL,
        pubsub_token varchar(64) NOT NULL,
        hmac_verified boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT contact_inboxes_inbox_source_key UNIQUE (inbox_id, source_id),
        CONSTRAINT contact_inboxes_pubsub_token_key UNIQUE (pubsub_token)
      )`);
    await queryRunner.query(
      `CREATE INDEX contact_inboxes_contact_id_idx ON contact_inboxes (contact_id)`,
    );

    await queryRunner.query(`
      CREATE TABLE conversation_display_counters (
        account_id integer PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE,
        last_display_id integer NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE conversations (
        id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        inbox_id integer NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
        contact_id integer NOT NULL REFERENCES contacts (id) ON DELETE CASCADE,
        contact_inbox_id integer NOT NULL REFERENCES contact_inboxes (id) ON DELETE CASCADE,
        display_id integer NOT NULL,
        uuid uuid NOT NULL DEFAULT gen_random_uuid(),
        status varchar(16) NOT NULL DEFAULT 'open'
          CHECK (status IN ('open', 'pending', 'resolved', 'snoozed')),
        snoozed_until timestamptz,
        priority varchar(16) CHECK (priority IN ('low', 'medium', 'high', 'urgent')),
        assignee_id integer REFERENCES users (id) ON DELETE SET NULL,
        team_id integer REFERENCES teams (id) ON DELETE SET NULL,
        labels text[] NOT NULL DEFAULT '{}',
        custom_attributes jsonb NOT NULL DEFAULT '{}',
        additional_attributes jsonb NOT NULL DEFAULT '{}',
        muted boolean NOT NULL DEFAULT false,
        contact_last_seen_at timestamptz,
        agent_last_seen_at timestamptz,
        assignee_last_seen_at timestamptz,
        first_reply_created_at timestamptz,
        waiting_since timestamptz,
        last_activity_at timestamptz NOT NULL DEFAULT now(),
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT conversations_account_display_key UNIQUE (account_id, display_id)
      )`);
    await queryRunner.query(
      `CREATE INDEX conversations_account_status_activity_idx ON conversations (account_id, status, last_activity_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX conversations_inbox_status_idx ON conversations (inbox_id, status)`,
    );
    await queryRunner.query(
      `CREATE INDEX conversations_assignee_idx ON conversations (assignee_id) WHERE assignee_id IS NOT NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX conversations_contact_inbox_idx ON conversations (contact_inbox_id)`,
    );
    await queryRunner.query(`CREATE INDEX conversations_contact_idx ON conversations (contact_id)`);
    await queryRunner.query(
      `CREATE INDEX conversations_labels_idx ON conversations USING gin (labels)`,
    );

    await queryRunner.query(`
      CREATE TABLE messages (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        inbox_id integer NOT NULL REFERENCES inboxes (id) ON DELETE CASCADE,
        conversation_id integer NOT NULL REFERENCES conversations (id) ON DELETE CASCADE,
        message_type smallint NOT NULL CHECK (message_type BETWEEN 0 AND 3),
        content text,
        content_type varchar(32) NOT NULL DEFAULT 'text',
        content_attributes jsonb NOT NULL DEFAULT '{}',
        additional_attributes jsonb NOT NULL DEFAULT '{}',
        private boolean NOT NULL DEFAULT false,
        status varchar(16) NOT NULL DEFAULT 'sent' CHECK (status IN ('sent', 'delivered', 'read', 'failed')),
        source_id varchar(255),
        echo_id varchar(255),
        sender_type varchar(16) CHECK (sender_type IN ('contact', 'user', 'agent_bot')),
        sender_id integer,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX messages_conversation_idx ON messages (conversation_id, id)`,
    );
    await queryRunner.query(
      `CREATE UNIQUE INDEX messages_inbox_source_key ON messages (inbox_id, source_id) WHERE source_id IS NOT NULL`,
    );

    await queryRunner.query(`
      CREATE TABLE event_streams (
        stream varchar(64) PRIMARY KEY,
        last_sequence integer NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE domain_events (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        event_id uuid NOT NULL DEFAULT gen_random_uuid(),
        name varchar(64) NOT NULL,
        account_id integer NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,
        inbox_id integer,
        conversation_id integer,
        stream varchar(64) NOT NULL,
        sequence integer NOT NULL,
        actor_type varchar(32) NOT NULL,
        actor_id integer,
        payload jsonb NOT NULL,
        occurred_at timestamptz NOT NULL DEFAULT now(),
        CONSTRAINT domain_events_event_id_key UNIQUE (event_id),
        CONSTRAINT domain_events_stream_sequence_key UNIQUE (stream, sequence)
      )`);
    await queryRunner.query(
      `CREATE INDEX domain_events_account_idx ON domain_events (account_id, id)`,
    );
    await queryRunner.query(
      `CREATE INDEX domain_events_occurred_idx ON domain_events (occurred_at)`,
    );

    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        scope varchar(160) NOT NULL,
        key varchar(255) NOT NULL,
        request_hash char(64) NOT NULL,
        response_status smallint,
        response_body text,
        locked_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (scope, key)
      )`);
    await queryRunner.query(
      `CREATE INDEX idempotency_keys_expires_idx ON idempotency_keys (expires_at)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'idempotency_keys',
      'domain_events',
      'event_streams',
      'messages',
      'conversations',
      'conversation_display_counters',
      'contact_inboxes',
      'contacts',
      'inbox_members',
      'inboxes',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
