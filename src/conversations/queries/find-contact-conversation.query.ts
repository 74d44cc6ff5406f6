import { Query } from '@nestjs/cqrs';
import type { ContactInboxRef } from '../../contacts/index.js';
import type { ConversationRef } from '../dto/conversation-ref.js';

/** The contact a Client API path names, and its conversation (undefined: it has none such). */
export interface ContactConversation {
  contactInbox: ContactInboxRef;
  conversation: ConversationRef | undefined;
}

/**
 * The contact whose source_id is `sourceId` in an inbox, and its conversation `displayId`, read
 * in one statement (every Client API conversation and message request starts with it).
 * Undefined when the inbox has no such contact. Neither is an error here: the Client API
 * checks the contact's identity between the two.
 */
export class FindContactConversationQuery extends Query<ContactConversation | undefined> {
  constructor(
    readonly lookup: { inboxId: number; accountId: number; sourceId: string; displayId: number },
  ) {
    super();
  }
}
