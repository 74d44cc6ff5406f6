import type { StoredEvent } from '../../outbox/index.js';
import { DomainEvent, OutboxEvent } from '../../outbox/index.js';
import { SYSTEM_ACTOR } from '../../common/index.js';
import type { EndpointKind } from '../entities/webhook-endpoint.entity.js';

export interface TestedWebhook {
  id: number;
  kind: EndpointKind;
  inbox_id: number | null;
}

/** A test ping an administrator sent to one endpoint (never fanned out to others). */
@OutboxEvent('webhook_test', { subscribable: false })
export class WebhookTestEvent extends DomainEvent {
  readonly conversationId = null;
  readonly message = 'This is a test event from Conversa.';

  constructor(
    readonly accountId: number,
    readonly webhook: TestedWebhook,
  ) {
    super(SYSTEM_ACTOR);
  }

  get inboxId(): number | null {
    return this.webhook.inbox_id;
  }

  get stream(): string {
    return `webhook:${this.webhook.id}`;
  }

  toPayload(): Record<string, unknown> {
    return { webhook: this.webhook, account: { id: this.accountId }, message: this.message };
  }

  static fromStored(stored: StoredEvent): WebhookTestEvent {
    return new WebhookTestEvent(stored.accountId, stored.payload.webhook as TestedWebhook);
  }
}
