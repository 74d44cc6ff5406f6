import type { StoredEvent } from '../../outbox/index.js';
import { OutboxEvent } from '../../outbox/index.js';
import { InboxEvent } from './inbox-event.js';

/** An inbox's settings changed. */
@OutboxEvent('inbox_updated')
export class InboxUpdatedEvent extends InboxEvent {
  static fromStored(stored: StoredEvent): InboxUpdatedEvent {
    return new InboxUpdatedEvent(InboxEvent.inboxOf(stored), stored.actor);
  }
}
