import type { StoredEvent } from '../../outbox/index.js';
import { OutboxEvent } from '../../outbox/index.js';
import { InboxEvent } from './inbox-event.js';

/** An API inbox was created. */
@OutboxEvent('inbox_created')
export class InboxCreatedEvent extends InboxEvent {
  static fromStored(stored: StoredEvent): InboxCreatedEvent {
    return new InboxCreatedEvent(InboxEvent.inboxOf(stored), stored.actor);
  }
}
