import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { messagesPage, toMessageResponse } from '../conversation.read-model.js';
import type { MessageResponse } from '../conversation.read-model.js';
import { ListMessagesQuery, messagePageSize } from './list-messages.query.js';

@QueryHandler(ListMessagesQuery)
export class ListMessagesHandler implements IQueryHandler<ListMessagesQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ conversationId, page }: ListMessagesQuery): Promise<MessageResponse[]> {
    const { rows, direction } = await messagesPage(
      this.dataSource,
      conversationId,
      page,
      messagePageSize(page),
    );
    const messages = rows.map((message) => toMessageResponse(message));
    return direction === 'DESC' ? messages.reverse() : messages;
  }
}
