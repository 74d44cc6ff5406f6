import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InboxStore } from '../inbox.store.js';
import { AccessibleInboxesQuery } from './accessible-inboxes.query.js';

@QueryHandler(AccessibleInboxesQuery)
export class AccessibleInboxesHandler implements IQueryHandler<AccessibleInboxesQuery> {
  constructor(private readonly store: InboxStore) {}

  async execute({ accountId, viewer }: AccessibleInboxesQuery): Promise<number[] | 'all'> {
    if (viewer.inboxIds) return viewer.inboxIds;
    if (viewer.role === 'administrator') return 'all';
    return this.store.idsOfMember(accountId, viewer.userId);
  }
}
