import type { StoredEvent } from '../../outbox/index.js';
import { OutboxEvent } from '../../outbox/index.js';
import { MessageEvent } from './conversation-event.js';

/** A message was deleted (its content replaced). */
@OutboxEvent('message_deleted')
export class MessageDeletedEvent extends MessageEvent {
  static fromStored(stored: StoredEvent): MessageDeletedEvent {
    const { at, message } = MessageEvent.parse(stored);
    return new MessageDeletedEvent(at, message, stored.actor);
  }
}
