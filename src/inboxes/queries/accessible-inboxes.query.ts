import { Query } from '@nestjs/cqrs';
import type { InboxViewer } from './list-inboxes.query.js';

/** Ids of the live inboxes a viewer may work in; 'all' for administrators. */
export class AccessibleInboxesQuery extends Query<number[] | 'all'> {
  constructor(
    readonly accountId: number,
    readonly viewer: InboxViewer,
  ) {
    super();
  }
}
