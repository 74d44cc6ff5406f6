import type { StoredEvent } from '../../outbox/index.js';
import { OutboxEvent } from '../../outbox/index.js';
import { ContactEvent } from './contact-event.js';

/** A contact was deleted (the payload is the contact as it was). */
@OutboxEvent('contact_deleted')
export class ContactDeletedEvent extends ContactEvent {
  static fromStored(stored: StoredEvent): ContactDeletedEvent {
    return new ContactDeletedEvent(
      stored.accountId,
      ContactEvent.contactOf(stored),
      stored.inboxId,
      stored.actor,
    );
  }
}
