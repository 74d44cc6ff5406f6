import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { toContactInboxRef } from '../../contacts/index.js';
import { contactConversationBySource } from '../conversation.read-model.js';
import { toConversationRef } from '../dto/conversation-ref.js';
import {
  ContactConversation,
  FindContactConversationQuery,
} from './find-contact-conversation.query.js';

@QueryHandler(FindContactConversationQuery)
export class FindContactConversationHandler implements IQueryHandler<FindContactConversationQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({
    lookup,
  }: FindContactConversationQuery): Promise<ContactConversation | undefined> {
    const row = await contactConversationBySource(this.dataSource, lookup);
    if (!row) return undefined;
    const { link, contact, ...conversation } = row;
    return {
      contactInbox: toContactInboxRef({ link, contact }),
      conversation: conversation.id === null ? undefined : toConversationRef(conversation),
    };
  }
}
