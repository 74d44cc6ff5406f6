import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The webhooks module alone keeps every endpoint's URL and secrets: an API inbox's own webhook
 * (URL, secret, previous secret and its expiry) moves from the inbox row to the inbox's
 * endpoint row, which every inbox now has. Deleted inboxes keep their secret, not their URL.
 */
export class InboxWebhooksInEndpoints1795474000000 implements MigrationInterface {
  name = 'InboxWebhooksInEndpoints1795474000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      INSERT INTO webhook_endpoints (account_id, kind, inbox_id, url, secret, previous_secret, previous_secret_expires_at)
      SELECT i.account_id, 'inbox', i.id, CASE WHEN i.deleted_at IS NULL THEN i.webhook_url END,
             i.webhook_secret, i.webhook_previous_secret, i.webhook_previous_secret_expires_at
        FROM inboxes i
      ON CONFLICT (inbox_id) WHERE kind = 'inbox' DO UPDATE
         SET url = EXCLUDED.url, secret = EXCLUDED.secret, previous_secret = EXCLUDED.previous_secret,
             previous_secret_expires_at = EXCLUDED.previous_secret_expires_at`);
    await queryRunner.query(`ALTER TABLE webhook_endpoints ALTER COLUMN secret SET NOT NULL`);
    await queryRunner.query(`
      ALTER TABLE inboxes DROP COLUMN webhook_url, DROP COLUMN webhook_secret,
        DROP COLUMN webhook_previous_secret, DROP COLUMN webhook_previous_secret_expires_at`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE inboxes ADD COLUMN webhook_url text, ADD COLUMN webhook_secret varchar(64),
        ADD COLUMN webhook_previous_secret varchar(64), ADD COLUMN webhook_previous_secret_expires_at timestamptz`);
    await queryRunner.query(`
      UPDATE inboxes i SET webhook_url = e.url, webhook_secret = e.secret,
             webhook_previous_secret = e.previous_secret,
             webhook_previous_secret_expires_at = e.previous_secret_expires_at
        FROM webhook_endpoints e WHERE e.kind = 'inbox' AND e.inbox_id = i.id`);
    // Every inbox has its endpoint row; should one be missing, it still needs a secret.
    await queryRunner.query(`
      UPDATE inboxes SET webhook_secret = 'whsec_' || encode(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid()), 'base64')
       WHERE webhook_secret IS NULL`);
    await queryRunner.query(`ALTER TABLE inboxes ALTER COLUMN webhook_secret SET NOT NULL`);
    // As before: an inbox's endpoint row held only its delivery state.
    await queryRunner.query(`ALTER TABLE webhook_endpoints ALTER COLUMN secret DROP NOT NULL`);
    await queryRunner.query(`
      UPDATE webhook_endpoints SET url = NULL, secret = NULL, previous_secret = NULL,
             previous_secret_expires_at = NULL WHERE kind = 'inbox'`);
  }
}
