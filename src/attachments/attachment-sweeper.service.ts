import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { inBatches, PeriodicJob } from '../common/index.js';
import type { Environment } from '../config/index.js';
import { deleteAttachments, lockSweepable } from './attachment.store.js';
import { BLOB_STORAGE } from './storage/blob-storage.js';
import type { BlobStorage } from './storage/blob-storage.js';

const BATCH = 50;

/**
 * Removes the files of deleted messages (a message, conversation, contact or inbox deleted
 * detaches them, or the database's ON DELETE SET NULL does) and of uploads whose message never
 * committed, every ATTACHMENT_SWEEP_INTERVAL_MS in processes that do background work. The work
 * list is the table itself: files first, then the rows, so a sweep cut short resumes where it
 * stopped, and concurrent sweepers share the rows (SKIP LOCKED).
 */
@Injectable()
export class AttachmentSweeper extends PeriodicJob<number> {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
    config: ConfigService<Environment, true>,
  ) {
    super({
      role: config.get('PROCESS_ROLE', { infer: true }),
      intervalMs: config.get('ATTACHMENT_SWEEP_INTERVAL_MS', { infer: true }),
      failure: 'Sweeping attachments failed; retrying next interval',
    });
  }

  /** One full sweep; resolves with the number of attachments removed. */
  protected async round(): Promise<number> {
    const removed = await inBatches(BATCH, (limit) => this.sweepBatch(limit));
    if (removed > 0) this.logger.log(`Removed ${removed} attachments of deleted messages`);
    return removed;
  }

  private sweepBatch(limit: number): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await lockSweepable(manager, limit);
      for (const row of rows) {
        for (const key of [row.storage_key, row.thumb_key]) {
          if (key) await this.storage.delete(key);
        }
      }
      await deleteAttachments(
        manager,
        rows.map((row) => String(row.id)),
      );
      return rows.length;
    });
  }
}
