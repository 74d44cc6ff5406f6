import { MESSAGE_TYPES } from '../conversations/index.js';
import type { ConversationResponse } from '../conversations/index.js';
import type { EventRecord } from '../outbox/index.js';
import type { RuleContext } from './conditions.js';

type Payload = Record<string, unknown>;

function changedOf(payload: Payload): RuleContext['changed'] {
  const list = (payload.changed_attributes ?? []) as Record<
    string,
    { previous_value: unknown; current_value: unknown }
  >[];
  return Object.assign({}, ...list);
}

/** The rule names an event answers to (conversation_status_changed becomes opened/resolved). */
export function ruleEventsOf(record: EventRecord): string[] {
  if (record.name === 'conversation_status_changed') {
    const status = record.payload.status;
    return status === 'open'
      ? ['conversation_opened']
      : status === 'resolved'
        ? ['conversation_resolved']
        : [];
  }
  return ['conversation_created', 'conversation_updated', 'message_created'].includes(record.name)
    ? [record.name]
    : [];
}

/** The state a rule sees: the event's own snapshot, not a later read. */
export function contextOfEvent(record: EventRecord): RuleContext {
  const payload = record.payload;
  const isMessage = record.name === 'message_created';
  const conversation = (isMessage ? payload.conversation : payload) as Payload;
  const meta = (conversation?.meta ?? {}) as Payload;
  return {
    conversation: conversation ?? {},
    contact: (meta.sender ?? {}) as Payload,
    message: isMessage ? payload : null,
    changed: changedOf(payload),
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
