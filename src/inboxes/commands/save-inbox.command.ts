import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';

export interface InboxFields {
  name?: string;
  webhookUrl?: string | null;
  hmacMandatory?: boolean;
  additionalAttributes?: Record<string, unknown>;
  enableAutoAssignment?: boolean;
  lockToSingleConversation?: boolean;
  allowMessagesAfterResolved?: boolean;
  greetingEnabled?: boolean;
  greetingMessage?: string;
  timezone?: string;
}

/** Creates an API inbox (inboxId null) or updates one; records inbox_created / inbox_updated. */
export class SaveInboxCommand extends Command<{ id: number }> {
  constructor(
    readonly accountId: number,
    readonly inboxId: number | null,
    readonly fields: InboxFields,
    readonly actor: Actor,
  ) {
    super();
  }
}
