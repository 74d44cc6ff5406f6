import { Query } from '@nestjs/cqrs';
import type { InboxRef } from '../dto/inbox.response.js';
import type { InboxViewer } from './list-inboxes.query.js';

export type InboxLookup =
  { identifier: string } | { accountId: number; inboxId: number; viewer?: InboxViewer };

/**
 * One live inbox by its public identifier or by account and id; not found is an error. With a
 * viewer, an inbox that an agent is not a member of is not found either.
 */
export class FindInboxQuery extends Query<InboxRef> {
  constructor(readonly lookup: InboxLookup) {
    super();
  }
}
