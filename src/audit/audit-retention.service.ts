import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { Environment } from '../config/index.js';
import { deleteAuditLogsBefore } from './audit.store.js';

const HOUR_MS = 3_600_000;

/** Hourly, deletes audit log entries older than AUDIT_LOG_RETENTION_DAYS. */
@Injectable()
export class AuditRetention implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(AuditRetention.name);
  private readonly retentionDays: number;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataSource: DataSource,
    config: ConfigService<Environment, true>,
  ) {
    this.retentionDays = config.get('AUDIT_LOG_RETENTION_DAYS', { infer: true });
  }

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.prune(), HOUR_MS);
    this.timer.unref();
    void this.prune();
  }

  beforeApplicationShutdown(): void {
    clearInterval(this.timer);
  }

  /** Deletes what is past the retention; returns how many entries. */
  async prune(): Promise<number> {
    const before = new Date(Date.now() - this.retentionDays * 86_400_000);
    let removed = 0;
    try {
      for (
        let batch = await deleteAuditLogsBefore(this.dataSource.manager, before);
        batch > 0;
        batch = await deleteAuditLogsBefore(this.dataSource.manager, before)
      )
        removed += batch;
    } catch (error) {
      this.logger.error(
        { err: error },
        'Deleting expired audit log entries failed; retrying in an hour',
      );
    }
    return removed;
  }
}
