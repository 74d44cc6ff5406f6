import { Query } from '@nestjs/cqrs';

export interface AgentLoad {
  userId: number;
  /** Open conversations assigned to the agent in the inbox, and in the whole account. */
  openInInbox: number;
  openOverall: number;
}

/** Open-conversation counts of agents, for capacity-aware assignment. */
export class AgentLoadQuery extends Query<AgentLoad[]> {
  constructor(
    readonly accountId: number,
    readonly inboxId: number | null,
    readonly userIds: number[],
  ) {
    super();
  }
}

export interface WaitingConversation {
  id: number;
  displayId: number;
  inboxId: number;
  teamId: number | null;
}

/** Open, unassigned conversations of these inboxes, the longest waiting first. */
export class WaitingConversationsQuery extends Query<WaitingConversation[]> {
  constructor(
    readonly accountId: number,
    readonly inboxIds: number[],
    readonly limit: number,
  ) {
    super();
  }
}
