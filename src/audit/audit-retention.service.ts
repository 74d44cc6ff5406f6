import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { inBatches, PeriodicJob } from '../common/index.js';
import type { Environment } from '../config/index.js';
import { deleteAuditLogsBefore } from './audit.store.js';

const HOUR_MS = 3_600_000;
const BATCH = 5_000;

/**
 * Hourly, in processes that do background work (PROCESS_ROLE worker or both), deletes audit log
 * entries older than AUDIT_LOG_RETENTION_DAYS.
 */
@Injectable()
export class AuditRetention extends PeriodicJob<number> {
  private readonly retentionDays: number;

  constructor(
    private readonly dataSource: DataSource,
    config: ConfigService<Environment, true>,
  ) {
    super({
      role: config.get('PROCESS_ROLE', { infer: true }),
      intervalMs: HOUR_MS,
      failure: 'Deleting expired audit log entries failed; retrying in an hour',
    });
    this.retentionDays = config.get('AUDIT_LOG_RETENTION_DAYS', { infer: true });
  }

  /** Deletes what is past the retention; resolves with how many entries. */
  protected round(): Promise<number> {
    const before = new Date(Date.now() - this.retentionDays * 86_400_000);
    return inBatches(BATCH, (limit) =>
      deleteAuditLogsBefore(this.dataSource.manager, before, limit),
    );
  }
}
