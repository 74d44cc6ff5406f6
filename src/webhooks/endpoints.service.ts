import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import type { EntityManager } from 'typeorm';
import { FindInboxQuery } from '../inboxes/index.js';
import type { InboxWebhook } from '../inboxes/index.js';
import type { EndpointRef } from './commands/webhook.commands.js';
import type { WebhookEndpoint } from './entities/webhook-endpoint.entity.js';
import { newSecret } from './signing.js';
import { hurryStreams } from './stream-heads.js';
import { InboxWebhookNotSetError, WebhookNotFoundError } from './webhooks.errors.js';

/**
 * The endpoint rows: account webhooks and every inbox's own webhook, with their URLs and
 * secrets (which only this module holds; `newSecret` is the one place secrets are minted).
 */
@Injectable()
export class Endpoints {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
  ) {}

  /** The endpoint an API path names; an inbox's only while the inbox is live and has a URL. */
  async resolve(ref: EndpointRef): Promise<WebhookEndpoint> {
    if ('webhookId' in ref) {
      const [row] = await this.dataSource.query(
        `SELECT * FROM webhook_endpoints WHERE id = $1 AND account_id = $2 AND kind = 'account'`,
        [ref.webhookId, ref.accountId],
      );
      if (!row) throw new WebhookNotFoundError(ref.webhookId);
      return row;
    }
    // 404 for an inbox deleted, of another account, or never made.
    await this.queries.execute(
      new FindInboxQuery({ accountId: ref.accountId, inboxId: ref.inboxId }),
    );
    const [row] = await this.dataSource.query(
      `SELECT * FROM webhook_endpoints WHERE kind = 'inbox' AND inbox_id = $1 AND account_id = $2`,
      [ref.inboxId, ref.accountId],
    );
    if (!row?.url) throw new InboxWebhookNotSetError(ref.inboxId);
    return row;
  }

  /** Creates an account webhook with a new secret. */
  async createAccountWebhook(
    manager: EntityManager,
    accountId: number,
    fields: { url: string; name: string | null; subscriptions: string[]; inboxId: number | null },
  ): Promise<number> {
    const [row] = await manager.query(
      `INSERT INTO webhook_endpoints (account_id, kind, inbox_id, name, url, subscriptions, secret)
       VALUES ($1, 'account', $2, $3, $4, $5, $6) RETURNING id`,
      [accountId, fields.inboxId, fields.name, fields.url, fields.subscriptions, newSecret()],
    );
    return row.id as number;
  }

  /**
   * Sets an inbox's webhook URL (`undefined`: keeps it), creating the endpoint with a new secret
   * the first time; returns the endpoint's id, URL and secret.
   */
  async setInboxWebhook(
    manager: EntityManager,
    accountId: number,
    inboxId: number,
    url: string | null | undefined,
  ): Promise<InboxWebhook & { id: number }> {
    const [row] = await manager.query(
      `INSERT INTO webhook_endpoints (account_id, kind, inbox_id, url, secret)
       VALUES ($1, 'inbox', $2, $3, $4)
       ON CONFLICT (inbox_id) WHERE kind = 'inbox' DO UPDATE
          SET url = CASE WHEN $5 THEN EXCLUDED.url ELSE webhook_endpoints.url END,
              updated_at = CASE WHEN $5 THEN now() ELSE webhook_endpoints.updated_at END
       RETURNING id, url, secret`,
      [accountId, inboxId, url ?? null, newSecret(), url !== undefined],
    );
    return { id: row.id, url: row.url, secret: row.secret };
  }

  /** New secret; the previous one keeps signing too for `overlapMs`. */
  async rotateSecret(manager: EntityManager, endpointId: number, overlapMs: number): Promise<void> {
    await manager.query(
      `UPDATE webhook_endpoints SET previous_secret = secret, secret = $2,
          previous_secret_expires_at = now() + make_interval(secs => $3), updated_at = now() WHERE id = $1`,
      [endpointId, newSecret(), overlapMs / 1000],
    );
  }

  /**
   * The endpoint's deliveries waiting for a retry become due now (the caller then wakes it):
   * after its URL is fixed, it is re-enabled or tested, nothing should wait out a backoff that
   * was about the old state. Deliveries being attempted right now keep their lock.
   */
  async hurry(manager: EntityManager | DataSource, endpointId: number): Promise<void> {
    await manager.query(
      `WITH hurried AS (
         UPDATE webhook_deliveries SET next_attempt_at = now()
          WHERE endpoint_id = $1 AND status = 'pending' AND next_attempt_at > now()
            AND (locked_until IS NULL OR locked_until < now()))
       ${hurryStreams('$1')}`,
      [endpointId],
    );
  }

  /** Inbox webhooks by inbox id. */
  async inboxWebhooks(inboxIds: number[]): Promise<Map<number, InboxWebhook>> {
    if (inboxIds.length === 0) return new Map();
    const rows: { inbox_id: number; url: string | null; secret: string }[] =
      await this.dataSource.query(
        `SELECT inbox_id, url, secret FROM webhook_endpoints WHERE kind = 'inbox' AND inbox_id = ANY($1::int[])`,
        [inboxIds],
      );
    return new Map(rows.map((row) => [row.inbox_id, { url: row.url, secret: row.secret }]));
  }
}
