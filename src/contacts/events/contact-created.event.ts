import type { StoredEvent } from '../../outbox/index.js';
import { OutboxEvent } from '../../outbox/index.js';
import { ContactEvent } from './contact-event.js';

/** A contact was created. */
@OutboxEvent('contact_created')
export class ContactCreatedEvent extends ContactEvent {
  static fromStored(stored: StoredEvent): ContactCreatedEvent {
    return new ContactCreatedEvent(
      stored.accountId,
      ContactEvent.contactOf(stored),
      stored.inboxId,
      stored.actor,
    );
  }
}
