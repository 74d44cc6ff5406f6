import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Where an inbox with identity validation (hmac_mandatory) checks identifier_hash:
 * `contact_routes` (Chatwoot's behaviour, the default for new inboxes) or `every_request`
 * (every Client API route). Inboxes that exist already keep `every_request`, which is what
 * they did until now.
 */
export class InboxHmacScope1795483100000 implements MigrationInterface {
  name = 'InboxHmacScope1795483100000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE inboxes ADD COLUMN hmac_scope varchar(16) NOT NULL DEFAULT 'every_request'`,
    );
    await queryRunner.query(
      `ALTER TABLE inboxes ALTER COLUMN hmac_scope SET DEFAULT 'contact_routes'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE inboxes DROP COLUMN hmac_scope`);
  }
}
