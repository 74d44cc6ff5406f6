import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { ConversationStatus } from '../entities/conversation.entity.js';

export interface NewConversation {
  accountId: number;
  inboxId: number;
  contactId: number;
  contactInboxId: number;
  status?: ConversationStatus;
  customAttributes?: Record<string, unknown>;
  additionalAttributes?: Record<string, unknown>;
  /** With lock_to_single_conversation: reuse the contact's unresolved conversation. */
  lockToSingleConversation?: boolean;
}

/** Opens a conversation for a contact in an inbox; records conversation_created. */
export class CreateConversationCommand extends Command<{
  id: number;
  displayId: number;
  created: boolean;
}> {
  constructor(
    readonly conversation: NewConversation,
    readonly actor: Actor,
  ) {
    super();
  }
}
