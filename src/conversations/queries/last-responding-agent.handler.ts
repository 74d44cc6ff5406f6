import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { MESSAGE_TYPES } from '../entities/message.entity.js';
import { LastRespondingAgentQuery } from './last-responding-agent.query.js';

const OUTGOING = MESSAGE_TYPES.indexOf('outgoing');

@QueryHandler(LastRespondingAgentQuery)
export class LastRespondingAgentHandler implements IQueryHandler<LastRespondingAgentQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ conversationId }: LastRespondingAgentQuery): Promise<number | null> {
    const [row]: { sender_id: number }[] = await this.dataSource.query(
      `SELECT sender_id FROM messages
        WHERE conversation_id = $1 AND message_type = $2 AND sender_type = 'user'
        ORDER BY id DESC LIMIT 1`,
      [conversationId, OUTGOING],
    );
    return row?.sender_id ?? null;
  }
}
