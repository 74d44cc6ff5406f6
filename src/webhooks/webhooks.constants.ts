import { EVENT_NAMES } from '../outbox/index.js';
import type { EventName } from '../outbox/index.js';

export const DELIVERY_QUEUE = 'webhook-deliveries';

/** Events an account webhook may subscribe to: the whole catalogue but the per-endpoint test event. */
export const SUBSCRIBABLE_EVENTS = EVENT_NAMES.filter((name) => name !== 'webhook_test');

/** What an API inbox's own webhook receives: its conversation, message and typing events. */
export const INBOX_WEBHOOK_EVENTS: readonly EventName[] = SUBSCRIBABLE_EVENTS.filter(
  (name) => name.startsWith('conversation_') || name.startsWith('message_'),
);
