import { ConfigService } from '@nestjs/config';
import { CommandBus, CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import type { Environment } from '../../config/index.js';
import { FindInboxQuery, RotateInboxWebhookSecretCommand } from '../../inboxes/index.js';
import { OutboundPolicy } from '../../outbound/index.js';
import { markDispatched, OutboxSql, UnitOfWork } from '../../outbox/index.js';
import { DeliveryScheduler } from '../delivery-scheduler.service.js';
import { WebhookTestEvent } from '../events/webhook-test.event.js';
import { inboxWebhookEvents } from '../webhooks.constants.js';
import { Endpoints } from '../endpoints.service.js';
import { newSecret } from '../signing.js';
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
  ) {}

  async execute({ accountId, webhookId, fields }: SaveWebhookCommand): Promise<{ id: number }> {
    if (fields.url !== undefined) await this.policy.assertAllowed(fields.url, 'url');
    if (fields.inboxId)
      await this.queries.execute(new FindInboxQuery({ accountId, inboxId: fields.inboxId }));
    let id = webhookId;
    if (id === null) {
      const [row] = await this.uow.run(({ manager }) =>
        manager.query(
          `INSERT INTO webhook_endpoints (account_id, kind, inbox_id, name, url, subscriptions, secret)
           VALUES ($1, 'account', $2, $3, $4, $5, $6) RETURNING id`,
          [
            accountId,
            fields.inboxId ?? null,
            fields.name ?? null,
            fields.url,
            fields.subscriptions ?? [],
            newSecret(),
          ],
        ),
      );
      id = row.id as number;
    } else {
      const [, updated] = await this.uow.run(({ manager }) =>
        manager.query(
          `UPDATE webhook_endpoints SET
            url = coalesce($3, url), name = coalesce($4, name), subscriptions = coalesce($5, subscriptions),
            inbox_id = CASE WHEN $6 THEN $7 ELSE inbox_id END, updated_at = now()
          WHERE id = $1 AND account_id = $2 AND kind = 'account'`,
          [
            id,
            accountId,
            fields.url ?? null,
            fields.name ?? null,
            fields.subscriptions ?? null,
            fields.inboxId !== undefined,
            fields.inboxId ?? null,
          ],
        ),
      );
      if (!updated) throw new WebhookNotFoundError(id);
    }
    if (fields.enabled !== undefined)
      await this.commands.execute(
        new SetEndpointEnabledCommand({ accountId, webhookId: id }, fields.enabled),
      );
    return { id };
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
    await this.uow.run(({ manager }) =>
      enabled
        ? manager.query(
            `UPDATE webhook_endpoints SET disabled_at = NULL, disabled_reason = NULL, failing_since = NULL WHERE id = $1`,
            [endpoint.id],
          )
        : manager.query(
            `UPDATE webhook_endpoints SET disabled_at = coalesce(disabled_at, now()),
                disabled_reason = coalesce(disabled_reason, 'Disabled by an administrator') WHERE id = $1`,
            [endpoint.id],
          ),
    );
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
    private readonly commands: CommandBus,
    config: ConfigService<Environment, true>,
  ) {
    this.overlapMs = config.get('WEBHOOK_SECRET_OVERLAP_MS', { infer: true });
  }

  async execute({ endpoint: ref }: RotateWebhookSecretCommand): Promise<void> {
    if ('inboxId' in ref) {
      await this.endpoints.resolve(ref);
      await this.commands.execute(
        new RotateInboxWebhookSecretCommand(ref.accountId, ref.inboxId, this.overlapMs),
      );
      return;
    }
    const endpoint = await this.endpoints.resolve(ref);
    await this.uow.run(({ manager }) =>
      manager.query(
        `UPDATE webhook_endpoints SET previous_secret = secret, secret = $2,
            previous_secret_expires_at = now() + make_interval(secs => $3), updated_at = now() WHERE id = $1`,
        [endpoint.id, newSecret(), this.overlapMs / 1000],
      ),
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
      const [retried] = await manager.query(
        `UPDATE webhook_deliveries SET status = 'pending', attempts = 0, next_attempt_at = now(), failed_at = NULL, locked_until = NULL
          WHERE endpoint_id = $1 AND status = 'failed' AND created_at >= $2 RETURNING id`,
        [endpoint.id, since],
      );
      // Events the endpoint never got a delivery for (they happened while it was disabled):
      // since `since`, not before the endpoint existed, the ones it would have received.
      const missed: unknown[] = await manager.query(
        `INSERT INTO webhook_deliveries (endpoint_id, event_row_id, stream, sequence)
         SELECT e.id, ev.id, ev.stream, ev.sequence
           FROM webhook_endpoints e ${OutboxSql.joinAccountEvents('ev', 'e.account_id')}
          WHERE e.id = $1 AND ev.occurred_at >= greatest($2::timestamptz, e.created_at)
            AND ev.dispatched_at IS NOT NULL
            AND CASE WHEN e.kind = 'inbox' THEN ev.inbox_id = e.inbox_id AND ev.name = ANY($3::text[])
                     ELSE ev.name = ANY(e.subscriptions) AND (e.inbox_id IS NULL OR ev.inbox_id = e.inbox_id) END
         ON CONFLICT (endpoint_id, event_row_id) DO NOTHING RETURNING id`,
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
      const [rows] = await manager.query(
        `UPDATE webhook_deliveries d SET status = 'pending', attempts = 0, next_attempt_at = now(), failed_at = NULL,
                delivered_at = NULL, locked_until = NULL
          FROM webhook_endpoints e
          WHERE d.id = $1 AND e.id = d.endpoint_id AND e.account_id = $2 AND (d.locked_until IS NULL OR d.locked_until < now())
          RETURNING d.endpoint_id`,
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
    const deliveryId = await this.uow.run(async ({ manager, record }) => {
      const { meta } = await record(
        new WebhookTestEvent(endpoint.account_id, {
          id: endpoint.id,
          kind: endpoint.kind,
          inbox_id: endpoint.inbox_id,
        }),
      );
      // Only this endpoint gets it: no fan-out.
      await markDispatched(manager, [meta.id]);
      const [row] = await manager.query(
        `INSERT INTO webhook_deliveries (endpoint_id, event_row_id, stream, sequence) VALUES ($1, $2, $3, $4) RETURNING id`,
        [endpoint.id, meta.id, meta.stream, meta.sequence],
      );
      return String(row.id);
    });
    await this.scheduler.wake([endpoint.id], `n${deliveryId}`);
    return { deliveryId };
  }
}
