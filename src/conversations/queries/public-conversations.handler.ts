import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import {
  loadConversations,
  newestPublicMessages,
  toPublicConversation,
} from '../conversation.read-model.js';
import { MESSAGES_PAGE_SIZE } from './list-messages.query.js';
import { PublicConversationsQuery } from './public-conversations.query.js';

@QueryHandler(PublicConversationsQuery)
export class PublicConversationsHandler implements IQueryHandler<PublicConversationsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ contactInboxId, conversationId }: PublicConversationsQuery) {
    const params: unknown[] = [contactInboxId];
    let where = 'c.contact_inbox_id = $1';
    if (conversationId !== undefined) {
      params.push(conversationId);
      where += ' AND c.id = $2';
    }
    const rows = await loadConversations(
      this.dataSource.manager,
      where,
      params,
      'ORDER BY c.id DESC LIMIT 100',
    );
    if (rows.length === 0) return [];
    // The newest 20 visible messages of each conversation, oldest first.
    const messages = await newestPublicMessages(
      this.dataSource,
      rows.map((row) => row.id),
      MESSAGES_PAGE_SIZE,
    );
    return rows.map((row) =>
      toPublicConversation(
        row,
        messages.filter((message) => message.conversation_id === row.id),
      ),
    );
  }
}
