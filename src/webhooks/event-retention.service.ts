import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { inBatches, PeriodicJob } from '../common/index.js';
import type { Environment } from '../config/index.js';
import { deleteEventsBefore } from '../outbox/index.js';

const HOUR_MS = 3_600_000;
const BATCH = 5_000;

/**
 * Hourly, in processes that deliver (PROCESS_ROLE worker or both), deletes events older than
 * EVENT_RETENTION_DAYS (their deliveries go with them): the event feed and redelivery reach
 * back that far, and no further. Then removes the heads of streams with nothing pending (a
 * stream whose deliveries went with their events is found empty by its next claim).
 */
@Injectable()
export class EventRetention extends PeriodicJob {
  private readonly retentionDays: number;

  constructor(
    private readonly dataSource: DataSource,
    config: ConfigService<Environment, true>,
  ) {
    super({
      role: config.get('PROCESS_ROLE', { infer: true }),
      intervalMs: HOUR_MS,
      failure: 'Removing idle stream heads failed; retrying in an hour',
    });
    this.retentionDays = config.get('EVENT_RETENTION_DAYS', { infer: true });
  }

  protected async round(): Promise<void> {
    const before = new Date(Date.now() - this.retentionDays * 86_400_000);
    // Idle heads are removed even when deleting events failed.
    const removed = await inBatches(BATCH, (limit) =>
      deleteEventsBefore(this.dataSource.manager, before, limit),
    ).catch((error: unknown) => {
      this.logger.error({ err: error }, 'Deleting expired events failed; retrying in an hour');
      return 0;
    });
    if (removed > 0)
      this.logger.log(`Deleted ${removed} events older than ${this.retentionDays} days`);
    await this.removeIdleHeads();
  }

  /**
   * Heads of streams with nothing pending, a batch at a time. Safe against a fan-out waking the
   * same head: the DELETE re-checks `due_at IS NULL` on the row it locks, and a head deleted
   * first is inserted anew by the fan-out (see stream-heads.ts).
   */
  private async removeIdleHeads(): Promise<void> {
    await inBatches(BATCH, async (limit) => {
      const [, count] = await this.dataSource.query(
        `DELETE FROM webhook_stream_heads WHERE ctid IN (
           SELECT ctid FROM webhook_stream_heads WHERE due_at IS NULL LIMIT $1)
           AND due_at IS NULL`,
        [limit],
      );
      return count ?? 0;
    });
  }
}
