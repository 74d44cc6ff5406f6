import { Injectable, Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { faultPoint, NotFoundError } from '../common/index.js';
import { FindInboxQuery } from '../inboxes/index.js';
import { claimUndispatched, markDispatched } from '../outbox/index.js';
import type { EventRecord } from '../outbox/index.js';
import { DeliveryScheduler } from './delivery-scheduler.service.js';
import { INBOX_WEBHOOK_EVENTS } from './webhooks.constants.js';

const BATCH = 200;

interface Target {
  id: number;
  inboxId: number | null;
  subscriptions: string[] | null;
}

/**
 * The relay from the outbox: turns each committed event into one delivery per matching
 * endpoint, marks the event dispatched in the same transaction, then wakes the deliveries.
 * Runs right after each write (fast path) and periodically (after a crash, nothing is lost).
 */
@Injectable()
export class DeliveryDispatcher {
  private readonly logger = new Logger(DeliveryDispatcher.name);
  private running = false;
  private again = false;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
    private readonly scheduler: DeliveryScheduler,
  ) {}

  /** One run at a time per process; a call during a run makes it go round once more. */
  async dispatch(): Promise<void> {
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = true;
    try {
      do {
        this.again = false;
        while ((await this.dispatchBatch()) === BATCH);
      } while (this.again);
    } catch (error) {
      this.logger.error(
        { err: error },
        'Dispatching events to webhooks failed; the relay will retry',
      );
    } finally {
      this.running = false;
    }
  }

  private async dispatchBatch(): Promise<number> {
    const { claimed, deliveryIds } = await this.dataSource.transaction(async (manager) => {
      const events = await claimUndispatched(manager, BATCH);
      if (events.length === 0) return { claimed: 0, deliveryIds: [] as string[] };
      const pairs: [number, EventRecord][] = [];
      const accountTargets = await this.accountTargets(manager, events);
      const inboxTargets = await this.inboxTargets(manager, events);
      for (const event of events) {
        for (const target of accountTargets) {
          if (
            target.subscriptions?.includes(event.name) &&
            (target.inboxId === null || target.inboxId === event.inboxId)
          ) {
            pairs.push([target.id, event]);
          }
        }
        const inboxTarget = event.inboxId === null ? undefined : inboxTargets.get(event.inboxId);
        if (inboxTarget && INBOX_WEBHOOK_EVENTS.includes(event.name))
          pairs.push([inboxTarget, event]);
      }
      const inserted: { id: string }[] = pairs.length
        ? await manager.query(
            `INSERT INTO webhook_deliveries (endpoint_id, event_row_id, stream, sequence)
             SELECT * FROM unnest($1::int[], $2::bigint[], $3::text[], $4::int[])
             ON CONFLICT (endpoint_id, event_row_id) DO NOTHING RETURNING id`,
            [
              pairs.map(([id]) => id),
              pairs.map(([, e]) => e.id),
              pairs.map(([, e]) => e.stream),
              pairs.map(([, e]) => e.sequence),
            ],
          )
        : [];
      await markDispatched(
        manager,
        events.map((event) => event.id),
      );
      return { claimed: events.length, deliveryIds: inserted.map((row) => String(row.id)) };
    });
    // The crash window under test: deliveries committed, their jobs not yet queued.
    if (deliveryIds.length > 0) faultPoint('crash_after_fanout');
    await this.scheduler.wake(deliveryIds, 'new');
    return claimed;
  }

  private async accountTargets(
    manager: EntityManager,
    events: EventRecord[],
  ): Promise<(Target & { accountId: number })[]> {
    const accounts = [...new Set(events.map((event) => event.accountId))];
    const rows: {
      id: number;
      account_id: number;
      inbox_id: number | null;
      subscriptions: string[];
    }[] = await manager.query(
      `SELECT id, account_id, inbox_id, subscriptions FROM webhook_endpoints
        WHERE kind = 'account' AND disabled_at IS NULL AND account_id = ANY($1::int[])`,
      [accounts],
    );
    return rows.map((row) => ({
      id: row.id,
      accountId: row.account_id,
      inboxId: row.inbox_id,
      subscriptions: row.subscriptions,
    }));
  }

  /** Endpoint ids of the events' inboxes that have a webhook URL (rows created on first use). */
  private async inboxTargets(
    manager: EntityManager,
    events: EventRecord[],
  ): Promise<Map<number, number>> {
    const targets = new Map<number, number>();
    const inboxes = new Map<number, number>();
    for (const event of events) {
      if (event.inboxId !== null && INBOX_WEBHOOK_EVENTS.includes(event.name)) {
        inboxes.set(event.inboxId, event.accountId);
      }
    }
    for (const [inboxId, accountId] of inboxes) {
      const inbox = await this.queries
        .execute(new FindInboxQuery({ accountId, inboxId }))
        .catch((error: unknown) => {
          if (error instanceof NotFoundError) return null; // deleted meanwhile
          throw error;
        });
      if (!inbox?.webhookUrl) continue;
      const [endpoint] = await manager.query(
        `INSERT INTO webhook_endpoints (account_id, kind, inbox_id) VALUES ($1, 'inbox', $2)
         ON CONFLICT (inbox_id) WHERE kind = 'inbox' DO UPDATE SET kind = EXCLUDED.kind
         RETURNING id, disabled_at`,
        [accountId, inboxId],
      );
      if (!endpoint.disabled_at) targets.set(inboxId, endpoint.id);
    }
    return targets;
  }
}
