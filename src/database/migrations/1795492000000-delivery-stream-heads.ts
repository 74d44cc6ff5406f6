import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Delivery claims that cost the same with 10 or 50,000 conversations waiting on an endpoint.
 *
 * `webhook_stream_heads`: one row per (endpoint, stream) that has had deliveries, saying when
 * the stream's first pending delivery may next be attempted (`due_at`; NULL once nothing is
 * pending). A claim reads the due ones through (endpoint_id, due_at) instead of walking every
 * stream's deliveries. `revision` counts the statements that added or hurried pending
 * deliveries of the stream, so a claim or an outcome that looked the stream up in an older
 * snapshot can tell that it missed one.
 *
 * `webhook_delivery_leases`: WEBHOOK_ENDPOINT_CONCURRENCY numbered slots per endpoint, one per
 * attempt in flight, taken with INSERT ... ON CONFLICT so that every process together keeps to
 * the limit; a slot whose holder died frees itself when it expires.
 *
 * The deliveries' (next_attempt_at) index only served the old sweeper; heads replace it.
 */
export class DeliveryStreamHeads1795492000000 implements MigrationInterface {
  name = 'DeliveryStreamHeads1795492000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE webhook_stream_heads (
        endpoint_id integer NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        stream varchar(64) NOT NULL,
        sequence integer NOT NULL,
        due_at timestamptz,
        leased_until timestamptz,
        revision integer NOT NULL DEFAULT 0,
        PRIMARY KEY (endpoint_id, stream)
      )`);
    await queryRunner.query(
      `CREATE INDEX webhook_stream_heads_due_idx ON webhook_stream_heads (endpoint_id, due_at) WHERE due_at IS NOT NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE webhook_delivery_leases (
        endpoint_id integer NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
        slot smallint NOT NULL,
        delivery_id bigint NOT NULL,
        attempt integer NOT NULL,
        expires_at timestamptz NOT NULL,
        PRIMARY KEY (endpoint_id, slot)
      )`);
    // Every stream with pending deliveries gets its head: due when its first delivery is, or
    // when the attempt holding it (in a process of the previous version) runs out.
    await queryRunner.query(`
      INSERT INTO webhook_stream_heads (endpoint_id, stream, sequence, due_at, leased_until)
      SELECT DISTINCT ON (endpoint_id, stream) endpoint_id, stream, sequence,
             CASE WHEN locked_until > next_attempt_at THEN locked_until ELSE next_attempt_at END,
             CASE WHEN locked_until > now() THEN locked_until END
        FROM webhook_deliveries WHERE status = 'pending'
       ORDER BY endpoint_id, stream, sequence`);
    await queryRunner.query(`DROP INDEX webhook_deliveries_pending_idx`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX webhook_deliveries_pending_idx ON webhook_deliveries (next_attempt_at) WHERE status = 'pending'`,
    );
    await queryRunner.query(`DROP TABLE webhook_delivery_leases`);
    await queryRunner.query(`DROP TABLE webhook_stream_heads`);
  }
}
