import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { FindInboxQuery } from '../inboxes/index.js';
import type { EndpointRef } from './commands/webhook.commands.js';
import type { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';
import { InboxWebhookNotSetError, WebhookNotFoundError } from './webhooks.errors.js';

/** Finds the endpoint row an API path names (creating an inbox's on first use). */
@Injectable()
export class Endpoints {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
  ) {}

  async resolve(ref: EndpointRef): Promise<WebhookEndpoint> {
    if ('webhookId' in ref) {
      const [row] = await this.dataSource.query(
        `SELECT * FROM webhook_endpoints WHERE id = $1 AND account_id = $2 AND kind = 'account'`,
        [ref.webhookId, ref.accountId],
      );
      if (!row) throw new WebhookNotFoundError(ref.webhookId);
      return row;
    }
    const inbox = await this.queries.execute(
      new FindInboxQuery({ accountId: ref.accountId, inboxId: ref.inboxId }),
    );
    if (!inbox.webhookUrl) throw new InboxWebhookNotSetError(ref.inboxId);
    const [row] = await this.dataSource.query(
      `INSERT INTO webhook_endpoints (account_id, kind, inbox_id) VALUES ($1, 'inbox', $2)
       ON CONFLICT (inbox_id) WHERE kind = 'inbox' DO UPDATE SET kind = EXCLUDED.kind RETURNING *`,
      [ref.accountId, ref.inboxId],
    );
    return row;
  }
}
