import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { loadConversations, MESSAGE_JSON, toPublicConversation } from '../views.js';
import type { MessageJson } from '../views.js';
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
    const messages: { message: MessageJson }[] = await this.dataSource.query(
      `SELECT x.message FROM unnest($1::int[]) AS conv(id)
         CROSS JOIN LATERAL (SELECT ${MESSAGE_JSON} AS message, m.id FROM messages m
           WHERE m.conversation_id = conv.id AND m.private = false AND m.message_type <> 2
           ORDER BY m.id DESC LIMIT ${MESSAGES_PAGE_SIZE}) x
        ORDER BY x.id`,
      [rows.map((row) => row.id)],
    );
    return rows.map((row) =>
      toPublicConversation(
        row,
        messages
          .map((item) => item.message)
          .filter((message) => message.conversation_id === row.id),
      ),
    );
  }
}
