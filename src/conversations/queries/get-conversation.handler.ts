import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { loadConversation, toConversationResponse } from '../conversation.read-model.js';
import type { ConversationResponse } from '../conversation.read-model.js';
import { GetConversationQuery } from './get-conversation.query.js';

@QueryHandler(GetConversationQuery)
export class GetConversationHandler implements IQueryHandler<GetConversationQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ conversationId }: GetConversationQuery): Promise<ConversationResponse> {
    return toConversationResponse(await loadConversation(this.dataSource.manager, conversationId));
  }
}
