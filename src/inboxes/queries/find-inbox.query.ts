import { Query } from '@nestjs/cqrs';
import type { InboxRef } from '../dto/inbox.response.js';

export type InboxLookup = { identifier: string } | { accountId: number; inboxId: number };

/** One live inbox by its public identifier or by account and id; not found is an error. */
export class FindInboxQuery extends Query<InboxRef> {
  constructor(readonly lookup: InboxLookup) {
    super();
  }
}
