import type { Actor } from '../../common/index.js';
import type { StoredEvent } from '../../outbox/index.js';
import { OutboxEvent } from '../../outbox/index.js';
import { ConversationEvent } from './conversation-event.js';
import type { ConversationAt } from './conversation-event.js';

export interface Typist {
  type: Actor['type'];
  id: number | null;
}

/** Someone started or stopped typing in a conversation. */
abstract class ConversationTypingEvent extends ConversationEvent {
  constructor(
    at: ConversationAt,
    readonly isPrivate: boolean,
    readonly user: Typist,
    actor: Actor,
  ) {
    super(at, actor);
  }

  override toPayload(): Record<string, unknown> {
    return { ...super.toPayload(), is_private: this.isPrivate, user: this.user };
  }

  protected static parseTyping(stored: StoredEvent) {
    const { at, fields } = ConversationEvent.parse(stored, 'is_private', 'user');
    return { at, isPrivate: fields.is_private as boolean, user: fields.user as Typist };
  }
}

@OutboxEvent('conversation_typing_on')
export class ConversationTypingOnEvent extends ConversationTypingEvent {
  static fromStored(stored: StoredEvent): ConversationTypingOnEvent {
    const { at, isPrivate, user } = ConversationTypingEvent.parseTyping(stored);
    return new ConversationTypingOnEvent(at, isPrivate, user, stored.actor);
  }
}

@OutboxEvent('conversation_typing_off')
export class ConversationTypingOffEvent extends ConversationTypingEvent {
  static fromStored(stored: StoredEvent): ConversationTypingOffEvent {
    const { at, isPrivate, user } = ConversationTypingEvent.parseTyping(stored);
    return new ConversationTypingOffEvent(at, isPrivate, user, stored.actor);
  }
}
