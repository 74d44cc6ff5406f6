import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Indexes of the conversation list (GET /conversations, /conversations/meta, POST /filter).
 *
 * - counts: the meta counts (mine, assigned, unassigned, all) of an account's conversations of a
 *   status in the visible inboxes, by an index-only scan: every column they read is a key, team_id
 *   for the team filter (keys, not INCLUDE, so that equal entries are deduplicated: a sixth of the
 *   size).
 * - activity: the page of "all statuses" lists (labels, q, filter conditions) in the default
 *   order, newest activity first, read in index order up to the page instead of sorting every
 *   conversation of the account; (account_id, status, last_activity_at DESC, id DESC) already
 *   serves a single status.
 * - created: the same for a status sorted by created_at (either direction).
 */
export class ConversationListIndexes1795460000000 implements MigrationInterface {
  name = 'ConversationListIndexes1795460000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX conversations_account_counts_idx ON conversations (account_id, status, inbox_id, assignee_id, team_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX conversations_account_activity_idx ON conversations (account_id, last_activity_at DESC, id DESC)`,
    );
    await queryRunner.query(
      `CREATE INDEX conversations_account_status_created_idx ON conversations (account_id, status, created_at DESC, id DESC)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX conversations_account_status_created_idx`);
    await queryRunner.query(`DROP INDEX conversations_account_activity_idx`);
    await queryRunner.query(`DROP INDEX conversations_account_counts_idx`);
  }
}
