import type { Conversation, ConversationStatus } from '../entities/conversation.entity.js';

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

/** The conversation columns a ConversationRef is made of. */
export const CONVERSATION_REF_COLUMNS = [
  'id',
  'display_id',
  'account_id',
  'inbox_id',
  'contact_id',
  'contact_inbox_id',
  'status',
  'assignee_id',
  'team_id',
] as const satisfies readonly (keyof Conversation)[];
export type ConversationRefColumn = (typeof CONVERSATION_REF_COLUMNS)[number];

export function toConversationRef(row: Pick<Conversation, ConversationRefColumn>): ConversationRef {
  return {
    id: row.id,
    displayId: row.display_id,
    accountId: row.account_id,
    inboxId: row.inbox_id,
    contactId: row.contact_id,
    contactInboxId: row.contact_inbox_id,
    status: row.status,
    assigneeId: row.assignee_id,
    teamId: row.team_id,
  };
}
