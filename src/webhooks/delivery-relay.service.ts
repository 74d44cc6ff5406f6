import {
  BeforeApplicationShutdown,
  Injectable,
  Logger,
  OnApplicationBootstrap,
  OnApplicationShutdown,
} from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import type { Environment } from '../config/index.js';
import { deleteEventsBefore } from '../outbox/index.js';
import { DeliveryDispatcher } from './delivery-dispatcher.service.js';
import { DeliveryScheduler } from './delivery-scheduler.service.js';
import { DeliveryService } from './delivery.service.js';

const HOUR_MS = 3_600_000;

/**
 * The worker side of webhooks (PROCESS_ROLE worker or both): runs delivery attempts from the
 * queue, and every few seconds re-drives what a crash or a Redis flush may have dropped —
 * events never turned into deliveries, and due deliveries whose job is gone. Hourly, it
 * deletes events past their retention.
 */
@Injectable()
export class DeliveryRelay
  implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown
{
  private readonly logger = new Logger(DeliveryRelay.name);
  private readonly enabled: boolean;
  private readonly intervalMs: number;
  private readonly concurrency: number;
  private readonly retentionDays: number;
  private timer?: NodeJS.Timeout;
  private busy = false;
  private lastCleanup = 0;

  constructor(
    private readonly dataSource: DataSource,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly scheduler: DeliveryScheduler,
    private readonly deliveries: DeliveryService,
    config: ConfigService<Environment, true>,
  ) {
    this.enabled = config.get('PROCESS_ROLE', { infer: true }) !== 'api';
    this.intervalMs = config.get('WEBHOOK_RELAY_INTERVAL_MS', { infer: true });
    this.concurrency = config.get('WEBHOOK_CONCURRENCY', { infer: true });
    this.retentionDays = config.get('EVENT_RETENTION_DAYS', { infer: true });
  }

  onApplicationBootstrap(): void {
    if (!this.enabled) return;
    void this.scheduler.bull.process(this.concurrency, async (job) => {
      const endpointId =
        job.data.endpointId ??
        (job.data.deliveryId ? await this.deliveries.endpointOf(job.data.deliveryId) : null);
      if (endpointId === null) return;
      // One limit for queued and direct wake-ups (WEBHOOK_CONCURRENCY endpoints per process):
      // an endpoint this process cannot take now is woken again in a second.
      const left = this.deliveries.drainHere([endpointId]);
      await this.scheduler.wake(left, `d${Date.now()}`, 1_000);
    });
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    void this.tick();
  }

  /** Before any module closes its connections: let running rounds record their outcomes. */
  async beforeApplicationShutdown(): Promise<void> {
    clearInterval(this.timer);
    await this.deliveries.stop();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.enabled) await this.scheduler.bull.close();
  }

  private async tick(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      await this.dispatcher.dispatch();
      await this.requeueOrphans();
      if (Date.now() - this.lastCleanup > HOUR_MS) {
        this.lastCleanup = Date.now();
        await this.deleteExpiredEvents();
      }
    } catch (error) {
      this.logger.error({ err: error }, 'Webhook relay pass failed; retrying next interval');
    } finally {
      this.busy = false;
    }
  }

  /** Endpoints with deliveries due for a while and not being attempted: their job was lost. */
  private async requeueOrphans(): Promise<void> {
    const rows: { endpoint_id: number }[] = await this.dataSource.query(
      `SELECT DISTINCT d.endpoint_id FROM webhook_deliveries d
        WHERE d.status = 'pending' AND d.next_attempt_at <= now() - make_interval(secs => $1)
          AND (d.locked_until IS NULL OR d.locked_until < now())
          AND NOT EXISTS (SELECT 1 FROM webhook_endpoints e WHERE e.id = d.endpoint_id AND e.disabled_at IS NOT NULL)`,
      [this.intervalMs / 1000],
    );
    // Drained here (this process delivers); only what it cannot take now goes through Redis.
    const left = this.deliveries.drainHere(rows.map((row) => row.endpoint_id));
    await this.scheduler.wake(left, `r${Math.floor(Date.now() / this.intervalMs)}`);
  }

  private async deleteExpiredEvents(): Promise<void> {
    const before = new Date(Date.now() - this.retentionDays * 86_400_000);
    let removed = 0;
    for (
      let batch = await deleteEventsBefore(this.dataSource.manager, before);
      batch > 0;
      batch = await deleteEventsBefore(this.dataSource.manager, before)
    ) {
      removed += batch;
    }
    if (removed > 0)
      this.logger.log(`Deleted ${removed} events older than ${this.retentionDays} days`);
  }
}
