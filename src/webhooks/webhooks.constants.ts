import { eventNames, subscribableEventNames } from '../outbox/index.js';

export const DELIVERY_QUEUE = 'webhook-deliveries';

/**
 * Events an account webhook may subscribe to: every registered event but the per-endpoint test
 * event. A live list: it grows as modules register their events (the catalogue is open).
 */
export const SUBSCRIBABLE_EVENTS = subscribableEventNames();

let inboxEvents: { from: number; names: string[] } | undefined;

/** What an API inbox's own webhook receives: its conversation, message and typing events. */
export function inboxWebhookEvents(): readonly string[] {
  const all = eventNames();
  if (inboxEvents?.from !== all.length) {
    inboxEvents = {
      from: all.length,
      names: SUBSCRIBABLE_EVENTS.filter(
        (name) => name.startsWith('conversation_') || name.startsWith('message_'),
      ),
    };
  }
  return inboxEvents.names;
}
