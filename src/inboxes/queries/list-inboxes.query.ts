import { Query } from '@nestjs/cqrs';
import type { Role } from '../../accounts/index.js';
import type { InboxResponse } from '../dto/inbox.response.js';

export interface InboxViewer {
  userId: number;
  role: Role;
  /** Set for an agent bot: the inboxes it is attached to, all it may reach. */
  inboxIds?: number[];
}

/** Inboxes the viewer may see (administrators: all; agents: those they are members of). */
export class ListInboxesQuery extends Query<InboxResponse[]> {
  constructor(
    readonly accountId: number,
    readonly viewer: InboxViewer,
    readonly inboxId?: number,
  ) {
    super();
  }
}
