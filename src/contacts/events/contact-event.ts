import type { Actor } from '../../common/index.js';
import { DomainEvent } from '../../outbox/index.js';
import type { StoredEvent } from '../../outbox/index.js';
import type { ContactPushData } from '../dto/contact.responses.js';

/** An event about a contact; the payload is the contact with its account's id. */
export abstract class ContactEvent extends DomainEvent {
  readonly conversationId = null;

  constructor(
    readonly accountId: number,
    readonly contact: ContactPushData,
    /** The inbox the change came through (Client API), if any. */
    readonly inboxId: number | null,
    actor: Actor,
  ) {
    super(actor);
  }

  get stream(): string {
    return `contact:${this.contact.id}`;
  }

  toPayload(): Record<string, unknown> {
    return { ...this.contact, account: { id: this.accountId } };
  }

  protected static contactOf(stored: StoredEvent): ContactPushData {
    const { account: _account, ...contact } = stored.payload;
    return contact as ContactPushData;
  }
}
