import { ConfigService } from '@nestjs/config';
import { CommandBus, CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import type { Environment } from '../../config/index.js';
import { FindInboxQuery, SetInboxWebhookCommand } from '../../inboxes/index.js';
import type { InboxWebhook } from '../../inboxes/index.js';
import { OutboundPolicy } from '../../outbound/index.js';
import { markDispatched, OutboxSql, UnitOfWork } from '../../outbox/index.js';
import { DeliveryScheduler } from '../delivery-scheduler.service.js';
import { EndpointHurriedEvent } from '../events/endpoint-hurried.event.js';
import { WebhookTestEvent } from '../events/webhook-test.event.js';
import { wakeStreams } from '../stream-heads.js';
import { inboxWebhookEvents } from '../webhooks.constants.js';
import { Endpoints } from '../endpoints.service.js';
import { DeliveryNotFoundError, WebhookNotFoundError } from '../webhooks.errors.js';
import {
  DeleteWebhookCommand,
  RecoverDeliveriesCommand,
  RedeliverCommand,
  RotateWebhookSecretCommand,
  SaveWebhookCommand,
  SendTestEventCommand,
  SetEndpointEnabledCommand,
} from './webhook.commands.js';

@CommandHandler(SaveWebhookCommand)
export class SaveWebhookHandler implements ICommandHandler<SaveWebhookCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly policy: OutboundPolicy,
    private readonly queries: QueryBus,
    private readonly commands: CommandBus,
    private readonly endpoints: Endpoints,
    private readonly scheduler: DeliveryScheduler,
  ) {}

  async execute({ accountId, webhookId, fields }: SaveWebhookCommand): Promise<{ id: number }> {
    if (fields.url !== undefined) await this.policy.assertAllowed(fields.url, 'url');
    if (fields.inboxId)
      await this.queries.execute(new FindInboxQuery({ accountId, inboxId: fields.inboxId }));
    let id = webhookId;
    if (id === null) {
      id = await this.uow.run(({ manager }) =>
        this.endpoints.createAccountWebhook(manager, accountId, {
          url: fields.url!,
          name: fields.name ?? null,
          subscriptions: fields.subscriptions ?? [],
          inboxId: fields.inboxId ?? null,
        }),
      );
    } else {
      const endpointId = id;
      await this.uow.run(async ({ manager }) => {
        const [, updated] = await manager.query(
          `UPDATE webhook_endpoints SET
              url = coalesce($3, url), name = coalesce($4, name), subscriptions = coalesce($5, subscriptions),
              inbox_id = CASE WHEN $6 THEN $7 ELSE inbox_id END, updated_at = now()
            WHERE id = $1 AND account_id = $2 AND kind = 'account'`,
          [
            endpointId,
            accountId,
            fields.url ?? null,
            fields.name ?? null,
            fields.subscriptions ?? null,
            fields.inboxId !== undefined,
            fields.inboxId ?? null,
          ],
        );
        if (!updated) throw new WebhookNotFoundError(endpointId);
        if (fields.url !== undefined) await this.endpoints.hurry(manager, endpointId);
      });
      if (fields.url !== undefined && fields.enabled === undefined)
        await this.scheduler.wake([endpointId], `u${Date.now()}`);
    }
    if (fields.enabled !== undefined)
      await this.commands.execute(
        new SetEndpointEnabledCommand({ accountId, webhookId: id }, fields.enabled),
      );
    return { id };
  }
}

/** An inbox's own webhook, set by the inboxes module inside its own unit of work. */
@CommandHandler(SetInboxWebhookCommand)
export class SetInboxWebhookHandler implements ICommandHandler<SetInboxWebhookCommand> {
  constructor(
    private readonly policy: OutboundPolicy,
    private readonly endpoints: Endpoints,
  ) {}

  async execute({ tx, accountId, inboxId, url }: SetInboxWebhookCommand): Promise<InboxWebhook> {
    if (url) await this.policy.assertAllowed(url, 'channel.webhook_url');
    const endpoint = await this.endpoints.setInboxWebhook(tx.manager, accountId, inboxId, url);
    if (url !== undefined) {
      await this.endpoints.hurry(tx.manager, endpoint.id);
      // Woken once the inbox writer's transaction has committed (WakeHurriedEndpoint).
      tx.publish(new EndpointHurriedEvent(endpoint.id));
    }
    return { url: endpoint.url, secret: endpoint.secret };
  }
}

@CommandHandler(DeleteWebhookCommand)
export class DeleteWebhookHandler implements ICommandHandler<DeleteWebhookCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ accountId, webhookId }: DeleteWebhookCommand): Promise<void> {
    const [, deleted] = await this.uow.run(({ manager }) =>
      manager.query(
        `DELETE FROM webhook_endpoints WHERE id = $1 AND account_id = $2 AND kind = 'account'`,
        [webhookId, accountId],
      ),
    );
    if (!deleted) throw new WebhookNotFoundError(webhookId);
  }
}

@CommandHandler(SetEndpointEnabledCommand)
export class SetEndpointEnabledHandler implements ICommandHandler<SetEndpointEnabledCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly endpoints: Endpoints,
    private readonly scheduler: DeliveryScheduler,
  ) {}

  async execute({ endpoint: ref, enabled }: SetEndpointEnabledCommand): Promise<void> {
    const endpoint = await this.endpoints.resolve(ref);
    await this.uow.run(async ({ manager }) => {
      if (!enabled)
        return manager.query(
          `UPDATE webhook_endpoints SET disabled_at = coalesce(disabled_at, now()),
                disabled_reason = coalesce(disabled_reason, 'Disabled by an administrator') WHERE id = $1`,
          [endpoint.id],
        );
      await manager.query(
        `UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL WHERE id = $1`,
        [endpoint.id],
      );
      await this.endpoints.hurry(manager, endpoint.id);
    });
    if (!enabled) return;
    await this.scheduler.wake([endpoint.id], `e${Date.now()}`);
  }
}

@CommandHandler(RotateWebhookSecretCommand)
export class RotateWebhookSecretHandler implements ICommandHandler<RotateWebhookSecretCommand> {
  private readonly overlapMs: number;

  constructor(
    private readonly uow: UnitOfWork,
    private readonly endpoints: Endpoints,
    config: ConfigService<Environment, true>,
  ) {
    this.overlapMs = config.get('WEBHOOK_SECRET_OVERLAP_MS', { infer: true });
  }

  async execute({ endpoint: ref }: RotateWebhookSecretCommand): Promise<void> {
    const endpoint = await this.endpoints.resolve(ref);
    await this.uow.run(({ manager }) =>
      this.endpoints.rotateSecret(manager, endpoint.id, this.overlapMs),
    );
  }
}

@CommandHandler(RecoverDeliveriesCommand)
export class RecoverDeliveriesHandler implements ICommandHandler<RecoverDeliveriesCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly endpoints: Endpoints,
    private readonly scheduler: DeliveryScheduler,
  ) {}

  async execute({ endpoint: ref, since }: RecoverDeliveriesCommand): Promise<{ count: number }> {
    const endpoint = await this.endpoints.resolve(ref);
    const count = await this.uow.run(async ({ manager }) => {
      const retried: unknown[] = await manager.query(
        `WITH retried AS (
           UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), failed_at = NULL, locked_until = NULL
            WHERE endpoint_id = $1 AND status = 'failed' AND created_at >= $2 RETURNING id, endpoint_id, stream, sequence),
         woken AS (${wakeStreams('retried')})
         SELECT id FROM retried`,
        [endpoint.id, since],
      );
      // Events the endpoint never got a delivery for (they happened while it was disabled):
      // since `since`, not before the endpoint existed, the ones it would have received.
      const missed: unknown[] = await manager.query(
        `WITH missed AS (
           INSERT INTO webhook_deliveries (endpoint_id, event_row_id, stream, sequence)
           SELECT e.id, ev.id, ev.stream, ev.sequence
             FROM webhook_endpoints e ${OutboxSql.joinAccountEvents('ev', 'e.account_id')}
            WHERE e.id = $1 AND ev.occurred_at >= greatest($2::timestamptz, e.created_at)
              AND ev.dispatched_at IS NOT NULL
              AND CASE WHEN e.kind = 'inbox' THEN ev.inbox_id = e.inbox_id AND ev.name = ANY($3::text[])
                       ELSE ev.name = ANY(e.subscriptions) AND (e.inbox_id IS NULL OR ev.inbox_id = e.inbox_id) END
           ON CONFLICT (endpoint_id, event_row_id) DO NOTHING RETURNING id, endpoint_id, stream, sequence),
         woken AS (${wakeStreams('missed')})
         SELECT id FROM missed`,
        [endpoint.id, since, inboxWebhookEvents()],
      );
      return retried.length + missed.length;
    });
    await this.scheduler.wake([endpoint.id], `v${Date.now()}`);
    return { count };
  }
}

@CommandHandler(RedeliverCommand)
export class RedeliverHandler implements ICommandHandler<RedeliverCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly scheduler: DeliveryScheduler,
  ) {}

  async execute({ accountId, deliveryId }: RedeliverCommand): Promise<void> {
    const endpointId = await this.uow.run(async ({ manager }) => {
      const rows: { endpoint_id: number }[] = await manager.query(
        `WITH again AS (
           UPDATE webhook_deliveries d SET status = 'pending', attempts = 0, next_attempt_at = now(), failed_at = NULL,
                  delivered_at = NULL, locked_until = NULL
             FROM webhook_endpoints e
            WHERE d.id = $1 AND e.id = d.endpoint_id AND e.account_id = $2 AND (d.locked_until IS NULL OR d.locked_until < now())
            RETURNING d.endpoint_id, d.stream, d.sequence),
         woken AS (${wakeStreams('again')})
         SELECT endpoint_id FROM again`,
        [deliveryId, accountId],
      );
      if (rows.length > 0) return rows[0].endpoint_id as number;
      const [exists] = await manager.query(
        `SELECT 1 FROM webhook_deliveries d JOIN webhook_endpoints e ON e.id = d.endpoint_id WHERE d.id = $1 AND e.account_id = $2`,
        [deliveryId, accountId],
      );
      if (!exists) throw new DeliveryNotFoundError(deliveryId);
      return null; // being attempted right now
    });
    if (endpointId !== null)
      await this.scheduler.wake([endpointId], `x${deliveryId}-${Date.now()}`);
  }
}

@CommandHandler(SendTestEventCommand)
export class SendTestEventHandler implements ICommandHandler<SendTestEventCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly endpoints: Endpoints,
    private readonly scheduler: DeliveryScheduler,
  ) {}

  async execute({ endpoint: ref }: SendTestEventCommand): Promise<{ deliveryId: string }> {
    const endpoint = await this.endpoints.resolve(ref);
    const deliveryId = await this.uow.run(async ({ manager, recordNow }) => {
      // Its delivery refers to the event's row: stored now, not with the commit.
      const { meta } = await recordNow(
        new WebhookTestEvent(endpoint.account_id, {
          id: endpoint.id,
          kind: endpoint.kind,
          inbox_id: endpoint.inbox_id,
        }),
      );
      // Only this endpoint gets it: no fan-out.
      await markDispatched(manager, [meta.id]);
      // A test is sent now, and so is what waited for a retry (the receiver may be fixed).
      await this.endpoints.hurry(manager, endpoint.id);
      const [row] = await manager.query(
        `WITH test AS (
           INSERT INTO webhook_deliveries (endpoint_id, event_row_id, stream, sequence) VALUES ($1, $2, $3, $4)
           RETURNING id, endpoint_id, stream, sequence),
         woken AS (${wakeStreams('test')})
         SELECT id FROM test`,
        [endpoint.id, meta.id, meta.stream, meta.sequence],
      );
      return String(row.id);
    });
    await this.scheduler.wake([endpoint.id], `n${deliveryId}`);
    return { deliveryId };
  }
}
