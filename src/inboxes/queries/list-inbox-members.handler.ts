import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InboxStore } from '../inbox.store.js';
import { InboxNotFoundError } from '../inboxes.errors.js';
import { ListInboxMembersQuery } from './list-inbox-members.query.js';

@QueryHandler(ListInboxMembersQuery)
export class ListInboxMembersHandler implements IQueryHandler<ListInboxMembersQuery> {
  constructor(private readonly store: InboxStore) {}

  async execute({ accountId, inboxId }: ListInboxMembersQuery): Promise<number[]> {
    const members = await this.store.memberIds(accountId, inboxId);
    if (!members) throw new InboxNotFoundError(inboxId);
    return members;
  }
}
