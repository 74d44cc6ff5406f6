import type { StoredEvent } from '../../outbox/index.js';
import { OutboxEvent } from '../../outbox/index.js';
import { MessageEvent } from './conversation-event.js';

/** A message changed (status, attributes, deletion). */
@OutboxEvent('message_updated')
export class MessageUpdatedEvent extends MessageEvent {
  static fromStored(stored: StoredEvent): MessageUpdatedEvent {
    const { at, message } = MessageEvent.parse(stored);
    return new MessageUpdatedEvent(at, message, stored.actor);
  }
}
