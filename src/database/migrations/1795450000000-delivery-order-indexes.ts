import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The delivery claim checks that no earlier event of the stream is still waiting for fan-out;
 * this partial index answers that by (stream, sequence) instead of walking every undispatched
 * event.
 */
export class DeliveryOrderIndexes1795450000000 implements MigrationInterface {
  name = 'DeliveryOrderIndexes1795450000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX domain_events_undispatched_stream_idx ON domain_events (stream, sequence) WHERE dispatched_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX domain_events_undispatched_stream_idx`);
  }
}
