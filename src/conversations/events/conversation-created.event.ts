import type { StoredEvent } from '../../outbox/index.js';
import { OutboxEvent } from '../../outbox/index.js';
import { ConversationEvent } from './conversation-event.js';

/** A conversation was created. */
@OutboxEvent('conversation_created')
export class ConversationCreatedEvent extends ConversationEvent {
  static fromStored(stored: StoredEvent): ConversationCreatedEvent {
    const { at } = ConversationEvent.parse(stored);
    return new ConversationCreatedEvent(at, stored.actor);
  }
}
