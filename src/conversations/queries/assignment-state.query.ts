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

/** A pending conversation whose agent bot has not answered its contact in time. */
export interface UnansweredBotConversation {
  id: number;
  accountId: number;
  waitingSince: Date;
}

/**
 * Pending, unassigned-to-people conversations of an agent bot (their inbox's, or assigned to
 * one) whose contact has waited for an answer since before `waitingBefore`; oldest first.
 */
export class UnansweredBotConversationsQuery extends Query<UnansweredBotConversation[]> {
  constructor(
    readonly waitingBefore: Date,
    readonly limit: number,
  ) {
    super();
  }
}

/**
 * Ids of pending conversations no person is assigned, of these inboxes or assigned to this agent
 * bot: the ones a bot held, to hand to people when the bot is detached or deleted.
 */
export class PendingBotConversationsQuery extends Query<number[]> {
  constructor(
    readonly accountId: number,
    readonly inboxIds: number[],
    readonly agentBotId: number | null,
  ) {
    super();
  }
}
