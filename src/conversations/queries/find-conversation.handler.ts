import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AccessibleInboxesQuery } from '../../inboxes/index.js';
import { conversationByContactInbox, conversationByDisplayId } from '../conversation.read-model.js';
import { ConversationNotFoundError } from '../conversations.errors.js';
import type { ConversationRef } from '../dto/conversation-ref.js';
import { FindConversationQuery } from './find-conversation.query.js';

@QueryHandler(FindConversationQuery)
export class FindConversationHandler implements IQueryHandler<FindConversationQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
  ) {}

  async execute({ lookup }: FindConversationQuery): Promise<ConversationRef> {
    const row =
      'contactInboxId' in lookup
        ? await conversationByContactInbox(this.dataSource, lookup.contactInboxId, lookup.displayId)
        : await conversationByDisplayId(this.dataSource, lookup.accountId, lookup.displayId);
    if (!row) throw new ConversationNotFoundError(lookup.displayId);
    if ('viewer' in lookup && lookup.viewer) {
      const inboxes = await this.queries.execute(
        new AccessibleInboxesQuery(lookup.accountId, lookup.viewer),
      );
      if (inboxes !== 'all' && !inboxes.includes(row.inbox_id))
        throw new ConversationNotFoundError(lookup.displayId);
    }
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
}
