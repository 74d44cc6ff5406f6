import type { StoredEvent } from '../../outbox/index.js';
import { OutboxEvent } from '../../outbox/index.js';
import { MessageEvent } from './conversation-event.js';

/** A message was added to a conversation (activity messages too). */
@OutboxEvent('message_created')
export class MessageCreatedEvent extends MessageEvent {
  static fromStored(stored: StoredEvent): MessageCreatedEvent {
    const { at, message } = MessageEvent.parse(stored);
    return new MessageCreatedEvent(at, message, stored.actor);
  }
}
