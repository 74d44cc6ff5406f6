import type { Actor } from '../../common/index.js';
import type { StoredEvent } from '../../outbox/index.js';
import { OutboxEvent } from '../../outbox/index.js';
import type { ConversationStatus } from '../entities/conversation.entity.js';
import { ConversationEvent } from './conversation-event.js';
import type { ConversationAt } from './conversation-event.js';

/** A conversation was resolved, reopened, set pending or snoozed. */
@OutboxEvent('conversation_status_changed')
export class ConversationStatusChangedEvent extends ConversationEvent {
  constructor(
    at: ConversationAt,
    readonly previousStatus: ConversationStatus,
    actor: Actor,
  ) {
    super(at, actor);
  }

  override toPayload(): Record<string, unknown> {
    return { ...super.toPayload(), previous_status: this.previousStatus };
  }

  static fromStored(stored: StoredEvent): ConversationStatusChangedEvent {
    const { at, fields } = ConversationEvent.parse(stored, 'previous_status');
    return new ConversationStatusChangedEvent(
      at,
      fields.previous_status as ConversationStatus,
      stored.actor,
    );
  }
}
