import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InboxStore } from '../inbox.store.js';
import { LiveInboxIdsQuery } from './live-inbox-ids.query.js';

@QueryHandler(LiveInboxIdsQuery)
export class LiveInboxIdsHandler implements IQueryHandler<LiveInboxIdsQuery> {
  constructor(private readonly store: InboxStore) {}

  execute({ accountId }: LiveInboxIdsQuery): Promise<number[]> {
    return this.store.liveIds(accountId);
  }
}
