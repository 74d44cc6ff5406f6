import { Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { DataSource } from 'typeorm';
import { PeriodicJob } from '../common/index.js';
import type { Environment } from '../config/index.js';
import { DeliveryDispatcher } from './delivery-dispatcher.service.js';
import { DeliveryScheduler } from './delivery-scheduler.service.js';
import { DeliveryService } from './delivery.service.js';

/** How old an undispatched event must be before the safety net takes it from its writer. */
const SETTLED_MS = 1_000;

/**
 * The safety net of delivery (processes with PROCESS_ROLE worker or both): every
 * WEBHOOK_RELAY_INTERVAL_MS it re-drives what a crash or a Redis flush may have dropped,
 * events never turned into deliveries and due deliveries whose wake-up job is gone.
 */
@Injectable()
export class DeliverySweeper extends PeriodicJob {
  constructor(
    private readonly dataSource: DataSource,
    private readonly dispatcher: DeliveryDispatcher,
    private readonly scheduler: DeliveryScheduler,
    private readonly deliveries: DeliveryService,
    config: ConfigService<Environment, true>,
  ) {
    super({
      role: config.get('PROCESS_ROLE', { infer: true }),
      intervalMs: config.get('WEBHOOK_RELAY_INTERVAL_MS', { infer: true }),
      failure: 'Webhook relay pass failed; retrying next interval',
    });
  }

  protected async round(): Promise<void> {
    // Only events left behind: one written a moment ago is its writer's to dispatch.
    await this.dispatcher.dispatchSettled(Math.max(this.settings.intervalMs, SETTLED_MS));
    await this.requeueOrphans();
  }

  /**
   * Endpoints with a stream due for a while and not being attempted: their job was lost. One
   * index probe per endpoint, however many streams wait.
   */
  private async requeueOrphans(): Promise<void> {
    const rows: { endpoint_id: number }[] = await this.dataSource.query(
      `SELECT e.id AS endpoint_id FROM webhook_endpoints e
        WHERE e.disabled_at IS NULL
          AND EXISTS (SELECT 1 FROM webhook_stream_heads h
                       WHERE h.endpoint_id = e.id AND h.due_at <= now() - make_interval(secs => $1))`,
      [this.settings.intervalMs / 1000],
    );
    // Drained here (this process delivers); only what it cannot take now goes through Redis.
    const left = this.deliveries.drainHere(rows.map((row) => row.endpoint_id));
    await this.scheduler.wake(left, `r${Math.floor(Date.now() / this.settings.intervalMs)}`);
  }
}
