import type { ConversationStatus } from '../entities/conversation.entity.js';

/** What other modules and controllers need to act on a conversation. */
export interface ConversationRef {
  id: number;
  displayId: number;
  accountId: number;
  inboxId: number;
  contactId: number;
  contactInboxId: number;
  status: ConversationStatus;
  assigneeId: number | null;
  teamId: number | null;
}
