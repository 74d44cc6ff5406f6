import type { MigrationInterface, QueryRunner } from 'typeorm';

const COUNTERS = `conversations, incoming_messages, outgoing_messages, resolutions, resolution_sum,
  resolution_bh_sum, first_responses, first_response_sum, first_response_bh_sum, replies, reply_sum,
  reply_bh_sum, reopens, bot_handoffs, frt_under_1h, frt_1_4h, frt_4_8h, frt_8_24h, frt_over_24h`;

/**
 * Reports at size (1,000,000 conversations, 10,000,000 messages): a report reads only index
 * pages, and live counts are kept as events arrive.
 *
 * - The rollup indexes carry every counter (INCLUDE), so a report is an index-only scan: one
 *   key's 90 days of hours are ~50 adjacent leaf pages instead of ~2,000 scattered heap pages
 *   (shared_buffers is small and shared; heap reads were most of a report's time). The key index
 *   answers a time series or one key's summary, the range index (account, dimension, period) a
 *   summary of every key of a dimension (each agent, inbox, ...).
 * - No parallel scans of the rollups: a report reads a few thousand index entries, and starting
 *   workers cost more than that (on two busy cores, most of a report's time).
 * - Autovacuum runs on the rollups sooner, keeping the visibility map (index-only scans) fresh.
 * - report_open_counts: open and unattended conversations per account and assignee (0:
 *   unassigned), moved by the projection in the batch that changes them, instead of counting
 *   report_conversations at read time. Filled here from the projection's state, under its lock.
 */
export class ReportsAtSize1795494000000 implements MigrationInterface {
  name = 'ReportsAtSize1795494000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // The projection's lock ('repo') first, as a projector batch takes it before the tables: no
    // batch runs while the tables change, and none commits between the count below and the end.
    await queryRunner.query(`SELECT pg_advisory_xact_lock(${0x7265_706f})`);
    for (const [table, period] of [
      ['report_rollups', 'hour'],
      ['report_rollups_daily', 'day'],
    ]) {
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
      await queryRunner.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey
           PRIMARY KEY (account_id, dimension, dimension_key, ${period}) INCLUDE (${COUNTERS})`,
      );
      await queryRunner.query(`DROP INDEX ${table}_range_idx`);
      await queryRunner.query(
        `CREATE INDEX ${table}_range_idx ON ${table} (account_id, dimension, ${period})
           INCLUDE (dimension_key, ${COUNTERS})`,
      );
      await queryRunner.query(
        `ALTER TABLE ${table} SET (parallel_workers = 0, autovacuum_vacuum_scale_factor = 0.02,
           autovacuum_vacuum_insert_scale_factor = 0.02, autovacuum_analyze_scale_factor = 0.05)`,
      );
    }
    await queryRunner.query(`
      CREATE TABLE report_open_counts (
        account_id integer NOT NULL,
        assignee_id integer NOT NULL,
        open integer NOT NULL DEFAULT 0,
        unattended integer NOT NULL DEFAULT 0,
        PRIMARY KEY (account_id, assignee_id)
      )`);
    await queryRunner.query(`
      INSERT INTO report_open_counts (account_id, assignee_id, open, unattended)
      SELECT account_id, coalesce(assignee_id, 0), count(*),
             count(*) FILTER (WHERE first_reply_at IS NULL OR waiting_since IS NOT NULL)
        FROM report_conversations WHERE status = 'open'
       GROUP BY 1, 2`);
    // The partial index counted open conversations at read time; the counts replace it.
    await queryRunner.query(`DROP INDEX report_conversations_open_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX report_conversations_open_idx ON report_conversations (account_id, assignee_id)
         WHERE status = 'open'`,
    );
    await queryRunner.query(`DROP TABLE report_open_counts`);
    for (const [table, period] of [
      ['report_rollups', 'hour'],
      ['report_rollups_daily', 'day'],
    ]) {
      await queryRunner.query(
        `ALTER TABLE ${table} RESET (parallel_workers, autovacuum_vacuum_scale_factor,
           autovacuum_vacuum_insert_scale_factor, autovacuum_analyze_scale_factor)`,
      );
      await queryRunner.query(`DROP INDEX ${table}_range_idx`);
      await queryRunner.query(
        `CREATE INDEX ${table}_range_idx ON ${table} (account_id, dimension, ${period})`,
      );
      await queryRunner.query(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_pkey`);
      await queryRunner.query(
        `ALTER TABLE ${table} ADD CONSTRAINT ${table}_pkey
           PRIMARY KEY (account_id, dimension, dimension_key, ${period})`,
      );
    }
  }
}
