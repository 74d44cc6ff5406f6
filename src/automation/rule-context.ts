import {
  ConversationCreatedEvent,
  ConversationStatusChangedEvent,
  ConversationUpdatedEvent,
  MESSAGE_TYPES,
  MessageCreatedEvent,
  MessageEvent,
} from '../conversations/index.js';
import type { ConversationEvent, ConversationResponse } from '../conversations/index.js';
import type { RuleContext } from './conditions.js';

type Payload = Record<string, unknown>;

/** The events rules run on: a conversation's or a message's, which carry its snapshot. */
export type RuleEvent = ConversationEvent | MessageEvent;

/** The rule names an event answers to (conversation_status_changed becomes opened/resolved). */
export function ruleEventsOf(event: RuleEvent): string[] {
  if (event instanceof ConversationStatusChangedEvent) {
    const status = event.conversation.status;
    return status === 'open'
      ? ['conversation_opened']
      : status === 'resolved'
        ? ['conversation_resolved']
        : [];
  }
  return event instanceof ConversationCreatedEvent ||
    event instanceof ConversationUpdatedEvent ||
    event instanceof MessageCreatedEvent
    ? [event.name]
    : [];
}

/** The state a rule sees: the event's own snapshot, not a later read. */
export function contextOfEvent(event: RuleEvent): RuleContext {
  return {
    conversation: event.conversation as unknown as Payload,
    contact: (event.conversation.meta.sender ?? {}) as Payload,
    message: event instanceof MessageEvent ? (event.message as unknown as Payload) : null,
    changed:
      event instanceof ConversationUpdatedEvent
        ? Object.assign({}, ...event.changedAttributes)
        : {},
  };
}

/** The state for a dry run: the conversation as it is now, with its last non-activity message. */
export function contextOfConversation(view: ConversationResponse): RuleContext {
  const last = view.last_non_activity_message;
  return {
    conversation: view as unknown as Payload,
    contact: view.meta.sender as Payload,
    message: last ? { ...last, message_type: MESSAGE_TYPES[last.message_type] } : null,
    changed: {},
  };
}
