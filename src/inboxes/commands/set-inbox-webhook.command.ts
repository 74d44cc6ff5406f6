import { Command } from '@nestjs/cqrs';
import type { Transaction } from '../../outbox/index.js';

/** An inbox's own webhook as inbox responses show it. */
export interface InboxWebhook {
  url: string | null;
  /** Signing secret (whsec_...); administrators only. */
  secret: string;
}

/**
 * Gives an inbox's own webhook its URL (`undefined`: keep it; `null`: none), creating the
 * webhook with its secret for a new inbox; answers with what it now holds. Runs in the
 * inbox writer's unit of work (`tx`), so an inbox never exists without its webhook.
 *
 * Sent by this module and answered by the webhooks module, which owns every endpoint's URL and
 * secrets: webhooks depends on inboxes, so the message is declared on this side of the line.
 */
export class SetInboxWebhookCommand extends Command<InboxWebhook> {
  constructor(
    readonly tx: Transaction,
    readonly accountId: number,
    readonly inboxId: number,
    readonly url: string | null | undefined,
  ) {
    super();
  }
}
