import { eventNames, subscribableEventNames } from '../outbox/index.js';

export const DELIVERY_QUEUE = 'webhook-deliveries';

/**
 * Events an account webhook may subscribe to: every registered event but the per-endpoint test
 * event. A live list: it grows as modules register their events (the catalogue is open).
 */
export const SUBSCRIBABLE_EVENTS = subscribableEventNames();

/**
 * Event names Chatwoot lists that Conversa never emits (it has no web widget): accepted in
 * subscriptions so that Chatwoot clients can register their webhooks, and never sent.
 */
export const NEVER_SENT_EVENTS: readonly string[] = ['webwidget_triggered'];

/**
 * What a webhook created without subscriptions receives: Chatwoot's default (its schema's
 * column default), the 8 events its API documents.
 */
export const DEFAULT_SUBSCRIPTIONS: readonly string[] = [
  'conversation_status_changed',
  'conversation_updated',
  'conversation_created',
  'contact_created',
  'contact_updated',
  'message_created',
  'message_updated',
  'webwidget_triggered',
];

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
