import type { Actor } from '../../common/index.js';

export const EVENT_NAMES = [
  'conversation_created',
  'conversation_updated',
  'conversation_status_changed',
  'conversation_deleted',
  'conversation_typing_on',
  'conversation_typing_off',
  'message_created',
  'message_updated',
  'message_deleted',
  'contact_created',
  'contact_updated',
  'contact_deleted',
  'inbox_created',
  'inbox_updated',
  'webhook_test',
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** A committed event as stored in the outbox. */
export interface EventRecord {
  /** Outbox row id: a global, increasing cursor. */
  id: string;
  eventId: string;
  name: EventName;
  accountId: number;
  inboxId: number | null;
  conversationId: number | null;
  /** `conversation:<id>`, `contact:<id>` or `inbox:<id>`; sequence counts within it. */
  stream: string;
  sequence: number;
  actor: Actor;
  /** The webhook body without event_id, sequence and occurred_at, as it was at the time. */
  payload: Record<string, unknown>;
  occurredAt: Date;
}

/** Base of every domain event published on the EventBus after its transaction committed. */
export abstract class RecordedEvent {
  constructor(readonly record: EventRecord) {}
}
