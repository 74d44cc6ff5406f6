import {
  BeforeApplicationShutdown,
  Inject,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
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
export class AttachmentSweeper implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AttachmentSweeper.name);
  private readonly enabled: boolean;
  private readonly intervalMs: number;
  private timer?: NodeJS.Timeout;
  private running?: Promise<number>;

  constructor(
    private readonly dataSource: DataSource,
    @Inject(BLOB_STORAGE) private readonly storage: BlobStorage,
    config: ConfigService<Environment, true>,
  ) {
    this.enabled = config.get('PROCESS_ROLE', { infer: true }) !== 'api';
    this.intervalMs = config.get('ATTACHMENT_SWEEP_INTERVAL_MS', { infer: true });
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => void this.sweep(), this.intervalMs).unref();
  }

  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.running;
  }

  /** One full sweep (joined when one runs); resolves with the number of attachments removed. */
  sweep(): Promise<number> {
    this.running ??= this.sweepAll()
      .catch((error) => {
        this.logger.error({ err: error }, 'Sweeping attachments failed; retrying next interval');
        return 0;
      })
      .finally(() => (this.running = undefined));
    return this.running;
  }

  private async sweepAll(): Promise<number> {
    let removed = 0;
    for (let batch = await this.sweepBatch(); batch > 0; batch = await this.sweepBatch()) {
      removed += batch;
    }
    if (removed > 0) this.logger.log(`Removed ${removed} attachments of deleted messages`);
    return removed;
  }

  private sweepBatch(): Promise<number> {
    return this.dataSource.transaction(async (manager) => {
      const rows = await lockSweepable(manager, BATCH);
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
