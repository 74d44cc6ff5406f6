import { Query } from '@nestjs/cqrs';

/** Ids of an account's live (not deleted) inboxes: what an administrator may see, as ids only. */
export class LiveInboxIdsQuery extends Query<number[]> {
  constructor(readonly accountId: number) {
    super();
  }
}
