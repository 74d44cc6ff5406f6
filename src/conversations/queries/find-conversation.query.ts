import { Query } from '@nestjs/cqrs';
import type { InboxViewer } from '../../inboxes/index.js';
import type { ConversationRef } from '../dto/conversation-ref.js';

export interface ConversationLookup {
  accountId: number;
  displayId: number;
  viewer?: InboxViewer;
}

/**
 * A conversation by its display id within an account (and only in inboxes the viewer may see).
 * Not found is an error. The Client API finds its conversations with
 * FindContactConversationQuery.
 */
export class FindConversationQuery extends Query<ConversationRef> {
  constructor(readonly lookup: ConversationLookup) {
    super();
  }
}
