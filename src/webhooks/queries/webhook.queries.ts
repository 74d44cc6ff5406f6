import { Query } from '@nestjs/cqrs';
import type { EventBodyList } from '../dto/event-feed.js';
import type { DeliveryResponse, WebhookResponse } from '../dto/webhook.responses.js';
import type { EndpointRef } from '../commands/webhook.commands.js';
import type { WebhookEndpoint } from '../entities/webhook-endpoint.entity.js';

export class ListWebhooksQuery extends Query<WebhookResponse[]> {
  constructor(
    readonly accountId: number,
    readonly webhookId?: number,
  ) {
    super();
  }
}

export class GetEndpointQuery extends Query<WebhookEndpoint> {
  constructor(readonly endpoint: EndpointRef) {
    super();
  }
}

export interface DeliveryPage {
  payload: DeliveryResponse[];
  meta: { next_cursor: string | null; has_more: boolean };
}

/** An endpoint's deliveries, newest first, cursor-paginated. */
export class ListDeliveriesQuery extends Query<DeliveryPage> {
  constructor(
    readonly endpoint: EndpointRef,
    readonly page: { cursor?: string; status?: string; limit: number },
  ) {
    super();
  }
}

/** One delivery with every attempt. */
export class GetDeliveryQuery extends Query<DeliveryResponse> {
  constructor(
    readonly accountId: number,
    readonly deliveryId: string,
  ) {
    super();
  }
}

/** The persisted event feed: the same ids and bodies as the webhooks, oldest first. */
export class ReadEventsQuery extends Query<EventBodyList> {
  constructor(
    readonly accountId: number,
    readonly filter: { after?: string; inboxId?: number; conversationId?: number; limit: number },
  ) {
    super();
  }
}

/** Delivery backlog for /health: how late the most overdue due delivery is. */
export class WebhookBacklogQuery extends Query<{ pending: number; oldest_overdue_ms: number }> {}
