import type { Actor } from '../../common/index.js';
import type { StoredEvent } from '../../outbox/index.js';
import { OutboxEvent } from '../../outbox/index.js';
import { ConversationEvent } from './conversation-event.js';
import type { ConversationAt } from './conversation-event.js';

export interface AttributeChange {
  previous_value: unknown;
  current_value: unknown;
}

/** Chatwoot's changed_attributes: one `{ attribute: { previous_value, current_value } }` each. */
export type ChangedAttributes = Record<string, AttributeChange>[];

/** Attributes of a conversation changed (assignee, team, labels, priority, ...). */
@OutboxEvent('conversation_updated')
export class ConversationUpdatedEvent extends ConversationEvent {
  constructor(
    at: ConversationAt,
    readonly changedAttributes: ChangedAttributes,
    actor: Actor,
  ) {
    super(at, actor);
  }

  /** How `attribute` changed, if it did. */
  change(attribute: string): AttributeChange | undefined {
    return this.changedAttributes.find((change) => attribute in change)?.[attribute];
  }

  override toPayload(): Record<string, unknown> {
    return { ...super.toPayload(), changed_attributes: this.changedAttributes };
  }

  static fromStored(stored: StoredEvent): ConversationUpdatedEvent {
    const { at, fields } = ConversationEvent.parse(stored, 'changed_attributes');
    return new ConversationUpdatedEvent(
      at,
      (fields.changed_attributes ?? []) as ChangedAttributes,
      stored.actor,
    );
  }
}
