import { Injectable, Logger } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { faultPoint, NotFoundError } from '../common/index.js';
import { FindInboxQuery } from '../inboxes/index.js';
import { claimUndispatched } from '../outbox/index.js';
import type { EventRecord } from '../outbox/index.js';
import { DeliveryScheduler } from './delivery-scheduler.service.js';
import { INBOX_WEBHOOK_EVENTS } from './webhooks.constants.js';

const BATCH = 200;

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
    const { claimed, endpoints, tag } = await this.dataSource.transaction(async (manager) => {
      const events = await claimUndispatched(manager, BATCH);
      if (events.length === 0) return { claimed: 0, endpoints: [] as number[], tag: '' };
      const pairs: [number, EventRecord][] = [];
      const { accountTargets, inboxTargets } = await this.targets(manager, events);
      for (const event of events) {
        for (const target of accountTargets) {
          if (
            target.subscriptions.includes(event.name) &&
            (target.inboxId === null || target.inboxId === event.inboxId)
          ) {
            pairs.push([target.id, event]);
          }
        }
        const inboxTarget = event.inboxId === null ? undefined : inboxTargets.get(event.inboxId);
        if (inboxTarget && INBOX_WEBHOOK_EVENTS.includes(event.name))
          pairs.push([inboxTarget, event]);
      }
      const inserted: { id: string; endpoint_id: number }[] = pairs.length
        ? await manager.query(
            `INSERT INTO webhook_deliveries (endpoint_id, event_row_id, stream, sequence)
             SELECT * FROM unnest($1::int[], $2::bigint[], $3::text[], $4::int[])
             ON CONFLICT (endpoint_id, event_row_id) DO NOTHING RETURNING id, endpoint_id`,
            [
              pairs.map(([id]) => id),
              pairs.map(([, e]) => e.id),
              pairs.map(([, e]) => e.stream),
              pairs.map(([, e]) => e.sequence),
            ],
          )
        : [];
      return {
        claimed: events.length,
        endpoints: inserted.map((row) => row.endpoint_id),
        tag: inserted.length > 0 ? `n${inserted[inserted.length - 1].id}` : '',
      };
    });
    // The crash window under test: deliveries committed, their wake-ups not yet queued.
    if (endpoints.length > 0) faultPoint('crash_after_fanout');
    await this.scheduler.wake(endpoints, tag);
    return claimed;
  }

  /** The account webhooks and API inbox webhooks the events may go to (enabled ones). */
  private async targets(
    manager: EntityManager,
    events: EventRecord[],
  ): Promise<{ accountTargets: AccountTarget[]; inboxTargets: Map<number, number> }> {
    const accounts = [...new Set(events.map((event) => event.accountId))];
    const inboxes = new Map<number, number>();
    for (const event of events) {
      if (event.inboxId !== null && INBOX_WEBHOOK_EVENTS.includes(event.name)) {
        inboxes.set(event.inboxId, event.accountId);
      }
    }
    const rows: EndpointRow[] = await manager.query(
      `SELECT id, kind, inbox_id, subscriptions, disabled_at IS NOT NULL AS disabled FROM webhook_endpoints
        WHERE (kind = 'account' AND account_id = ANY($1::int[]) AND disabled_at IS NULL)
           OR (kind = 'inbox' AND inbox_id = ANY($2::int[]))`,
      [accounts, [...inboxes.keys()]],
    );
    const accountTargets = rows
      .filter((row) => row.kind === 'account')
      .map((row) => ({ id: row.id, inboxId: row.inbox_id, subscriptions: row.subscriptions }));
    const inboxEndpoints = new Map(
      rows.filter((row) => row.kind === 'inbox').map((row) => [row.inbox_id!, row]),
    );
    const inboxTargets = new Map<number, number>();
    for (const [inboxId, accountId] of inboxes) {
      const inbox = await this.queries
        .execute(new FindInboxQuery({ accountId, inboxId }))
        .catch((error: unknown) => {
          if (error instanceof NotFoundError) return null; // deleted meanwhile
          throw error;
        });
      if (!inbox?.webhookUrl) continue;
      // The inbox's endpoint row holds its deliveries' state; created on first use.
      const endpoint =
        inboxEndpoints.get(inboxId) ??
        (
          await manager.query(
            `INSERT INTO webhook_endpoints (account_id, kind, inbox_id) VALUES ($1, 'inbox', $2)
             ON CONFLICT (inbox_id) WHERE kind = 'inbox' DO UPDATE SET kind = EXCLUDED.kind
             RETURNING id, disabled_at IS NOT NULL AS disabled`,
            [accountId, inboxId],
          )
        )[0];
      if (!endpoint.disabled) inboxTargets.set(inboxId, endpoint.id);
    }
    return { accountTargets, inboxTargets };
  }
}

interface AccountTarget {
  id: number;
  inboxId: number | null;
  subscriptions: string[];
}

interface EndpointRow {
  id: number;
  kind: 'account' | 'inbox';
  inbox_id: number | null;
  subscriptions: string[];
  disabled: boolean;
}
