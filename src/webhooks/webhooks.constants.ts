export const DELIVERY_QUEUE = 'webhook-deliveries';

/** What an API inbox's own webhook receives: its conversation, message and typing events. */
export const INBOX_WEBHOOK_EVENTS = [
  'conversation_created',
  'conversation_updated',
  'conversation_status_changed',
  'conversation_deleted',
  'conversation_typing_on',
  'conversation_typing_off',
  'message_created',
  'message_updated',
  'message_deleted',
] as const;

/** Events an account webhook may subscribe to. */
export const SUBSCRIBABLE_EVENTS = [
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
] as const;
