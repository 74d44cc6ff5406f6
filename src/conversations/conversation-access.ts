import { Injectable } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import type { AuthContext, Role } from '../accounts/index.js';
import type { ConversationRef } from './dto/conversation-ref.js';
import { FindConversationQuery } from './queries/find-conversation.query.js';

/** Resolves a conversation of the URL for the caller (404 outside their inboxes). */
@Injectable()
export class ConversationAccess {
  constructor(private readonly queries: QueryBus) {}

  find(
    account: { id: number; role: Role },
    auth: AuthContext,
    displayId: number,
  ): Promise<ConversationRef> {
    return this.queries.execute(
      new FindConversationQuery({
        accountId: account.id,
        displayId,
        viewer: { userId: auth.userId, role: account.role },
      }),
    );
  }
}
