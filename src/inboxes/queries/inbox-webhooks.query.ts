import { Query } from '@nestjs/cqrs';
import type { InboxWebhook } from '../commands/set-inbox-webhook.command.js';

/**
 * The own webhooks of these inboxes, by inbox id. Answered by the webhooks module, which owns
 * them (see SetInboxWebhookCommand).
 */
export class InboxWebhooksQuery extends Query<Map<number, InboxWebhook>> {
  constructor(readonly inboxIds: number[]) {
    super();
  }
}
