import { RecordedEvent } from './recorded.event.js';
import type { EventName, EventRecord } from './recorded.event.js';

// One class per event of the catalogue, so handlers subscribe with an ordinary @EventsHandler.
export class ConversationCreatedEvent extends RecordedEvent {}
export class ConversationUpdatedEvent extends RecordedEvent {}
export class ConversationStatusChangedEvent extends RecordedEvent {}
export class ConversationDeletedEvent extends RecordedEvent {}
export class ConversationTypingOnEvent extends RecordedEvent {}
export class ConversationTypingOffEvent extends RecordedEvent {}
export class MessageCreatedEvent extends RecordedEvent {}
export class MessageUpdatedEvent extends RecordedEvent {}
export class MessageDeletedEvent extends RecordedEvent {}
export class ContactCreatedEvent extends RecordedEvent {}
export class ContactUpdatedEvent extends RecordedEvent {}
export class ContactDeletedEvent extends RecordedEvent {}
export class InboxCreatedEvent extends RecordedEvent {}
export class InboxUpdatedEvent extends RecordedEvent {}
export class WebhookTestEvent extends RecordedEvent {}

const CLASSES: Record<EventName, new (record: EventRecord) => RecordedEvent> = {
  conversation_created: ConversationCreatedEvent,
  conversation_updated: ConversationUpdatedEvent,
  conversation_status_changed: ConversationStatusChangedEvent,
  conversation_deleted: ConversationDeletedEvent,
  conversation_typing_on: ConversationTypingOnEvent,
  conversation_typing_off: ConversationTypingOffEvent,
  message_created: MessageCreatedEvent,
  message_updated: MessageUpdatedEvent,
  message_deleted: MessageDeletedEvent,
  contact_created: ContactCreatedEvent,
  contact_updated: ContactUpdatedEvent,
  contact_deleted: ContactDeletedEvent,
  inbox_created: InboxCreatedEvent,
  inbox_updated: InboxUpdatedEvent,
  webhook_test: WebhookTestEvent,
};

/** Every event class of the catalogue, for handlers that react to all of them. */
export const RECORDED_EVENT_CLASSES = Object.values(CLASSES);

/** The typed bus event for a stored record. */
export function busEventOf(record: EventRecord): RecordedEvent {
  return new CLASSES[record.name](record);
}
