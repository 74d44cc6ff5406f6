import type { StoredEvent } from '../../outbox/index.js';
import { OutboxEvent } from '../../outbox/index.js';
import { ConversationEvent } from './conversation-event.js';

/** A conversation was deleted. */
@OutboxEvent('conversation_deleted')
export class ConversationDeletedEvent extends ConversationEvent {
  static fromStored(stored: StoredEvent): ConversationDeletedEvent {
    const { at } = ConversationEvent.parse(stored);
    return new ConversationDeletedEvent(at, stored.actor);
  }
}
