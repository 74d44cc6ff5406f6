import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { inBatches } from '../common/index.js';
import type { Environment } from '../config/index.js';
import { deleteAuditLogsBefore } from './audit.store.js';

const HOUR_MS = 3_600_000;
const BATCH = 5_000;

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
    try {
      return await inBatches(BATCH, (limit) =>
        deleteAuditLogsBefore(this.dataSource.manager, before, limit),
      );
    } catch (error) {
      this.logger.error(
        { err: error },
        'Deleting expired audit log entries failed; retrying in an hour',
      );
      return 0;
    }
  }
}
