import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { messagesPage, toMessageResponse } from '../conversation.read-model.js';
import type { MessageResponse } from '../conversation.read-model.js';
import { ListMessagesQuery, MESSAGES_PAGE_SIZE } from './list-messages.query.js';

@QueryHandler(ListMessagesQuery)
export class ListMessagesHandler implements IQueryHandler<ListMessagesQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ conversationId, page }: ListMessagesQuery): Promise<MessageResponse[]> {
    const params: unknown[] = [conversationId];
    const where = ['m.conversation_id = $1'];
    if (page.contactView) where.push('m.private = false AND m.message_type <> 2');
    if (page.messageIds) {
      params.push(page.messageIds);
      where.push(`m.id = ANY($${params.length}::bigint[])`);
    }
    if (page.before) {
      params.push(page.before);
      where.push(`m.id < $${params.length}`);
    }
    if (page.after) {
      params.push(page.after);
      where.push(`m.id > $${params.length}`);
    }
    // After a cursor we walk forward from it; otherwise back from the newest.
    const direction = page.after && !page.before ? 'ASC' : 'DESC';
    const rows = await messagesPage(this.dataSource, where, params, direction, MESSAGES_PAGE_SIZE);
    const messages = rows.map((message) => toMessageResponse(message));
    return direction === 'DESC' ? messages.reverse() : messages;
  }
}
