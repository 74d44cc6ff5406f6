import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ConversationSql, FindConversationQuery } from '../../conversations/index.js';
import { InboxWebhooksQuery } from '../../inboxes/index.js';
import { loadEvent, OutboxSql, readFeed } from '../../outbox/index.js';
import { decodeCursor, encodeCursor } from '../cursor.js';
import { toWebhookResponse } from '../dto/webhook.responses.js';
import type { DeliveryResponse } from '../dto/webhook.responses.js';
import { Endpoints } from '../endpoints.service.js';
import { DeliveryNotFoundError, WebhookNotFoundError } from '../webhooks.errors.js';
import {
  GetDeliveryQuery,
  GetEndpointQuery,
  ListDeliveriesQuery,
  ListWebhooksQuery,
  ReadEventsQuery,
  WebhookBacklogQuery,
} from './webhook.queries.js';

function iso(value: Date | string | null): string | null {
  return value ? new Date(value).toISOString() : null;
}

const DELIVERY_SELECT = `
  SELECT d.*, e.event_id, e.name AS event, ${ConversationSql.displayId('c')} AS display_id
    FROM webhook_deliveries d
    JOIN webhook_endpoints w ON w.id = d.endpoint_id
    ${OutboxSql.joinEvent('e', 'd.event_row_id')}
    ${ConversationSql.leftJoinConversation('c', 'e.conversation_id')}`;

interface DeliveryRow {
  id: string;
  endpoint_id: number;
  event_id: string;
  event: string;
  display_id: number | null;
  sequence: number;
  status: string;
  attempts: number;
  next_attempt_at: Date;
  last_status_code: number | null;
  last_error: string | null;
  delivered_at: Date | null;
  failed_at: Date | null;
  created_at: Date;
}

function toDelivery(row: DeliveryRow): DeliveryResponse {
  return {
    id: Number(row.id),
    webhook_id: row.endpoint_id,
    event_id: row.event_id,
    event: row.event,
    conversation_id: row.display_id,
    sequence: row.sequence,
    status: row.status,
    attempts: row.attempts,
    next_attempt_at: row.status === 'pending' ? iso(row.next_attempt_at) : null,
    last_status_code: row.last_status_code,
    last_error: row.last_error,
    delivered_at: iso(row.delivered_at),
    failed_at: iso(row.failed_at),
    created_at: new Date(row.created_at).toISOString(),
  };
}

@QueryHandler(ListWebhooksQuery)
export class ListWebhooksHandler implements IQueryHandler<ListWebhooksQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ accountId, webhookId }: ListWebhooksQuery) {
    const rows = await this.dataSource.query(
      `SELECT * FROM webhook_endpoints WHERE account_id = $1 AND kind = 'account' AND ($2::int IS NULL OR id = $2) ORDER BY id`,
      [accountId, webhookId ?? null],
    );
    if (webhookId !== undefined && rows.length === 0) throw new WebhookNotFoundError(webhookId);
    return rows.map(toWebhookResponse);
  }
}

@QueryHandler(GetEndpointQuery)
export class GetEndpointHandler implements IQueryHandler<GetEndpointQuery> {
  constructor(private readonly endpoints: Endpoints) {}

  execute({ endpoint }: GetEndpointQuery) {
    return this.endpoints.resolve(endpoint);
  }
}

/** Inbox responses show their webhook's URL and secret, which only this module holds. */
@QueryHandler(InboxWebhooksQuery)
export class InboxWebhooksHandler implements IQueryHandler<InboxWebhooksQuery> {
  constructor(private readonly endpoints: Endpoints) {}

  execute({ inboxIds }: InboxWebhooksQuery) {
    return this.endpoints.inboxWebhooks(inboxIds);
  }
}

@QueryHandler(ListDeliveriesQuery)
export class ListDeliveriesHandler implements IQueryHandler<ListDeliveriesQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly endpoints: Endpoints,
  ) {}

  async execute({ endpoint: ref, page }: ListDeliveriesQuery) {
    // The cursor first: resolving creates an inbox's endpoint row on first use, and a refused
    // request must leave nothing behind.
    const before = decodeCursor(page.cursor);
    const endpoint = await this.endpoints.resolve(ref);
    const rows: DeliveryRow[] = await this.dataSource.query(
      `${DELIVERY_SELECT}
        WHERE d.endpoint_id = $1 AND ($2::bigint IS NULL OR d.id < $2) AND ($3::text IS NULL OR d.status = $3)
        ORDER BY d.id DESC LIMIT $4`,
      [endpoint.id, before ?? null, page.status ?? null, page.limit + 1],
    );
    const hasMore = rows.length > page.limit;
    const items = rows.slice(0, page.limit);
    return {
      payload: items.map(toDelivery),
      meta: {
        next_cursor: hasMore ? encodeCursor(String(items[items.length - 1].id)) : null,
        has_more: hasMore,
      },
    };
  }
}

@QueryHandler(GetDeliveryQuery)
export class GetDeliveryHandler implements IQueryHandler<GetDeliveryQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ accountId, deliveryId }: GetDeliveryQuery) {
    const [row]: DeliveryRow[] = await this.dataSource.query(
      `${DELIVERY_SELECT} WHERE d.id = $1 AND w.account_id = $2`,
      [deliveryId, accountId],
    );
    if (!row) throw new DeliveryNotFoundError(deliveryId);
    const attempts = await this.dataSource.query(
      `SELECT attempted_at, status_code, duration_ms, response_excerpt, error FROM webhook_delivery_attempts
        WHERE delivery_id = $1 ORDER BY id`,
      [deliveryId],
    );
    return {
      ...toDelivery(row),
      attempt_log: attempts.map((attempt: { attempted_at: Date }) => ({
        ...attempt,
        attempted_at: new Date(attempt.attempted_at).toISOString(),
      })),
    };
  }
}

@QueryHandler(ReadEventsQuery)
export class ReadEventsHandler implements IQueryHandler<ReadEventsQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
  ) {}

  async execute({ accountId, filter }: ReadEventsQuery) {
    const conversationId = filter.conversationId
      ? (
          await this.queries.execute(
            new FindConversationQuery({ accountId, displayId: filter.conversationId }),
          )
        ).id
      : undefined;
    const records = await readFeed(this.dataSource.manager, {
      accountId,
      after: decodeCursor(filter.after),
      inboxId: filter.inboxId,
      conversationId,
      limit: filter.limit + 1,
    });
    const hasMore = records.length > filter.limit;
    const items = records.slice(0, filter.limit);
    const last = items[items.length - 1];
    return {
      payload: items.map((stored) => loadEvent(stored).body()),
      // With nothing new, the cursor stays where it was so polling can resume from it.
      meta: {
        next_cursor: last ? encodeCursor(last.id) : (filter.after ?? null),
        has_more: hasMore,
      },
    };
  }
}

@QueryHandler(WebhookBacklogQuery)
export class WebhookBacklogHandler implements IQueryHandler<WebhookBacklogQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute() {
    // Streams whose first pending delivery is due (a head per stream, so no walk over them).
    const [row] = await this.dataSource.query(
      `SELECT count(*)::int AS pending,
              coalesce(floor(extract(epoch FROM now() - min(h.due_at)) * 1000), 0)::bigint AS oldest_overdue_ms
         FROM webhook_stream_heads h JOIN webhook_endpoints e ON e.id = h.endpoint_id
        WHERE h.due_at <= now() AND e.disabled_at IS NULL`,
    );
    return { pending: row.pending, oldest_overdue_ms: Number(row.oldest_overdue_ms) };
  }
}
