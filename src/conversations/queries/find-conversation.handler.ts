import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { PreparedQuery } from '../../database/index.js';
import { ContactSql } from '../../contacts/index.js';
import { AccessibleInboxesQuery, InboxSql } from '../../inboxes/index.js';
import { ConversationNotFoundError } from '../conversations.errors.js';
import type { Conversation } from '../entities/conversation.entity.js';
import type { ConversationRef } from '../dto/conversation-ref.js';
import { FindConversationQuery } from './find-conversation.query.js';

/** Every Client API conversation request resolves it this way. */
const BY_CONTACT_INBOX = new PreparedQuery<Conversation>(
  'conversation_by_contact_inbox',
  `SELECT c.* FROM conversations c WHERE c.contact_inbox_id = $1 AND c.display_id = $2
     AND c.account_id = ${InboxSql.accountIdOf(ContactSql.inboxIdOf('$1'))}`,
);

@QueryHandler(FindConversationQuery)
export class FindConversationHandler implements IQueryHandler<FindConversationQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly queries: QueryBus,
  ) {}

  async execute({ lookup }: FindConversationQuery): Promise<ConversationRef> {
    const [row] =
      'contactInboxId' in lookup
        ? await BY_CONTACT_INBOX.rows(this.dataSource, [lookup.contactInboxId, lookup.displayId])
        : await this.dataSource.query(
            `SELECT c.* FROM conversations c ${InboxSql.joinLiveInbox('i', 'c.inbox_id')}
              WHERE c.account_id = $1 AND c.display_id = $2`,
            [lookup.accountId, lookup.displayId],
          );
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
