import { Query } from '@nestjs/cqrs';
import type { InboxViewer } from '../../inboxes/index.js';
import type { ConversationRef } from '../dto/conversation-ref.js';

export type ConversationLookup =
  | { accountId: number; displayId: number; viewer?: InboxViewer }
  | { contactInboxId: number; displayId: number };

/**
 * A conversation by its display id, within an account (and only in inboxes the viewer may
 * see) or within one contact inbox (the Client API). Not found is an error.
 */
export class FindConversationQuery extends Query<ConversationRef> {
  constructor(readonly lookup: ConversationLookup) {
    super();
  }
}
