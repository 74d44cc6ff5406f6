import { NotFoundError, UnprocessableError } from '../common/index.js';

export class WebhookNotFoundError extends NotFoundError {
  constructor(id: number) {
    super('webhook_not_found', `No webhook ${id} in this account.`);
  }
}

export class DeliveryNotFoundError extends NotFoundError {
  constructor(id: string | number) {
    super('delivery_not_found', `No webhook delivery ${id} in this account.`);
  }
}

export class InboxWebhookNotSetError extends UnprocessableError {
  constructor(inboxId: number) {
    super(
      'inbox_webhook_not_set',
      `Inbox ${inboxId} has no webhook_url; set one with PATCH /inboxes/${inboxId} first.`,
    );
  }
}

export class InvalidCursorError extends UnprocessableError {
  constructor() {
    super('invalid_cursor', 'The cursor is not one this API returned; start again without it.');
  }
}
