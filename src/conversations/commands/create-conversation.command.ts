import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';
import type { ContactInInbox } from '../../contacts/index.js';
import type { NewMessage } from '../conversation.store.js';
import type { ConversationStatus } from '../entities/conversation.entity.js';

export interface NewConversation {
  accountId: number;
  /** An inbox of the account, resolved (and access-checked) by the caller. */
  inboxId: number;
  /**
   * The contact: its link to the inbox when the caller has it (`contactInboxId`), or which
   * contact it is (by source_id, or contact_id with an optional source_id: a link is made when
   * the contact has none in the inbox).
   */
  contact: { contactInboxId: number; contactId: number } | ContactInInbox;
  status?: ConversationStatus;
  /** With status snoozed: when it wakes (null: at the next incoming message). */
  snoozedUntil?: Date | null;
  customAttributes?: Record<string, unknown>;
  additionalAttributes?: Record<string, unknown>;
  /** Assign to this agent of the inbox (or an administrator) and/or this team of the account. */
  assigneeId?: number;
  teamId?: number;
  /** A first message. */
  message?: NewMessage;
  /** With lock_to_single_conversation: reuse the contact's unresolved conversation. */
  lockToSingleConversation?: boolean;
}

/**
 * Opens a conversation, all of it in one transaction: the contact's link to the inbox if it
 * needs one, the conversation (conversation_created), its assignment (activity messages,
 * conversation_updated) and its first message (message_created), in that order. Any failure
 * leaves nothing: no link, no conversation, no event.
 */
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
