import { Query } from '@nestjs/cqrs';

/** User ids of an inbox's members (the inbox must be live and in the account). */
export class ListInboxMembersQuery extends Query<number[]> {
  constructor(
    readonly accountId: number,
    readonly inboxId: number,
  ) {
    super();
  }
}
