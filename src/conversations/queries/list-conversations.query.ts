import { Query } from '@nestjs/cqrs';
import type { FilterCondition } from '../../common/index.js';
import type { InboxViewer } from '../../inboxes/index.js';
import type { ConversationResponse } from '../conversation.read-model.js';

export const CONVERSATIONS_PAGE_SIZE = 25;

export interface ConversationFilters {
  status?: 'open' | 'resolved' | 'pending' | 'snoozed' | 'all';
  assigneeType?: 'me' | 'unassigned' | 'assigned' | 'all';
  inboxId?: number;
  teamId?: number;
  labels?: string[];
  q?: string;
  contactId?: number;
  conditions?: FilterCondition[];
  sortBy?: string;
  page?: number;
  /** Only the counts, no page. */
  countsOnly?: boolean;
}

export interface ConversationCounts {
  mine_count: number;
  assigned_count: number;
  unassigned_count: number;
  all_count: number;
}

/** A page of conversations the viewer may see, with Chatwoot's counts (before assignee_type). */
export class ListConversationsQuery extends Query<{
  meta: ConversationCounts;
  payload: ConversationResponse[];
}> {
  constructor(
    readonly accountId: number,
    readonly viewer: InboxViewer,
    readonly filters: ConversationFilters,
  ) {
    super();
  }
}
