import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { lastRespondingAgent } from '../conversation.read-model.js';
import { LastRespondingAgentQuery } from './last-responding-agent.query.js';

@QueryHandler(LastRespondingAgentQuery)
export class LastRespondingAgentHandler implements IQueryHandler<LastRespondingAgentQuery> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ conversationId }: LastRespondingAgentQuery): Promise<number | null> {
    return lastRespondingAgent(this.dataSource, conversationId);
  }
}
