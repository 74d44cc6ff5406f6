import type { Actor } from '../../common/index.js';
import { DomainEvent } from '../../outbox/index.js';
import type { StoredEvent } from '../../outbox/index.js';
import type { InboxResponse } from '../dto/inbox.response.js';

/** The inbox as events carry it: its API shape, never its secrets. */
export type InboxEventData = Omit<InboxResponse, 'hmac_token' | 'webhook_secret'>;

/** An event about an inbox; the payload is the inbox with its account's id. */
export abstract class InboxEvent extends DomainEvent {
  readonly conversationId = null;

  constructor(
    readonly inbox: InboxEventData,
    actor: Actor,
  ) {
    super(actor);
  }

  get accountId(): number {
    return this.inbox.account_id;
  }

  get inboxId(): number {
    return this.inbox.id;
  }

  get stream(): string {
    return `inbox:${this.inbox.id}`;
  }

  toPayload(): Record<string, unknown> {
    return { ...this.inbox, account: { id: this.inbox.account_id } };
  }

  protected static inboxOf(stored: StoredEvent): InboxEventData {
    const { account: _account, ...inbox } = stored.payload;
    return inbox as unknown as InboxEventData;
  }
}
