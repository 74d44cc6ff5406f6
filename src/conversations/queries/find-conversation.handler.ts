import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AccessibleInboxesQuery } from '../../inboxes/index.js';
import { conversationByDisplayId } from '../conversation.read-model.js';
import { ConversationNotFoundError } from '../conversations.errors.js';
import { toConversationRef } from '../dto/conversation-ref.js';
import type { ConversationRef } from '../dto/conversation-ref.js';
import { FindConversationQuery } from './find-conversation.query.js';

@QueryHandler(FindConversationQuery)
export class FindConversationHandler implements IQueryHandler<FindConversationQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
  ) {}

  async execute({ lookup }: FindConversationQuery): Promise<ConversationRef> {
    const row = await conversationByDisplayId(this.dataSource, lookup.accountId, lookup.displayId);
    if (!row) throw new ConversationNotFoundError(lookup.displayId);
    if (lookup.viewer) {
      const inboxes = await this.queries.execute(
        new AccessibleInboxesQuery(lookup.accountId, lookup.viewer),
      );
      if (inboxes !== 'all' && !inboxes.includes(row.inbox_id))
        throw new ConversationNotFoundError(lookup.displayId);
    }
    return toConversationRef(row);
  }
}
