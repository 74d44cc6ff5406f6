import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Files of messages. `upload_token` is the unguessable id a request's body names an upload by
 * (Chatwoot's signed blob id), until its message attaches it. A row is written before its file is stored (message_id NULL, sweep_after
 * set) and attached in the message's transaction; a row without a message past sweep_after (an
 * upload whose message never committed) or with no sweep_after (its message was deleted) is
 * swept: its stored files, then the row.
 */
export class CreateAttachments1795484000000 implements MigrationInterface {
  name = 'CreateAttachments1795484000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE attachments (
        id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        account_id integer REFERENCES accounts (id) ON DELETE SET NULL,
        message_id bigint REFERENCES messages (id) ON DELETE SET NULL,
        file_type varchar(16) NOT NULL,
        content_type varchar(255) NOT NULL,
        file_name varchar(255) NOT NULL,
        extension varchar(16),
        file_size bigint NOT NULL DEFAULT 0,
        width integer,
        height integer,
        storage_key varchar(255),
        thumb_key varchar(255),
        thumb_state varchar(8) NOT NULL DEFAULT 'none' CHECK (thumb_state IN ('none', 'pending', 'done', 'failed')),
        external_url text,
        upload_token uuid UNIQUE,
        sweep_after timestamptz,
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await queryRunner.query(
      `CREATE INDEX attachments_message_idx ON attachments (message_id) WHERE message_id IS NOT NULL`,
    );
    // The sweeper's and the thumbnail maker's work lists stay small and indexed.
    await queryRunner.query(
      `CREATE INDEX attachments_unattached_idx ON attachments (id) WHERE message_id IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX attachments_thumb_pending_idx ON attachments (id) WHERE thumb_state = 'pending'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE attachments`);
  }
}
