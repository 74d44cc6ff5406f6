import type { StoredEvent } from '../../outbox/index.js';
import { OutboxEvent } from '../../outbox/index.js';
import { ContactEvent } from './contact-event.js';

/** A contact's details changed. */
@OutboxEvent('contact_updated')
export class ContactUpdatedEvent extends ContactEvent {
  static fromStored(stored: StoredEvent): ContactUpdatedEvent {
    return new ContactUpdatedEvent(
      stored.accountId,
      ContactEvent.contactOf(stored),
      stored.inboxId,
      stored.actor,
    );
  }
}
