import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import {
  openConversationCounts,
  pendingBotConversations,
  unansweredBotConversations,
  waitingConversations,
} from '../conversation.read-model.js';
import {
  AgentLoadQuery,
  PendingBotConversationsQuery,
  UnansweredBotConversationsQuery,
  WaitingConversationsQuery,
} from './assignment-state.query.js';
import type {
  AgentLoad,
  UnansweredBotConversation,
  WaitingConversation,
} from './assignment-state.query.js';

@QueryHandler(AgentLoadQuery)
export class AgentLoadHandler implements IQueryHandler<AgentLoadQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ accountId, inboxId, userIds }: AgentLoadQuery): Promise<AgentLoad[]> {
    if (userIds.length === 0) return [];
    const rows = await openConversationCounts(this.dataSource, accountId, inboxId, userIds);
    return rows.map((row) => ({
      userId: row.user_id,
      openInInbox: row.in_inbox,
      openOverall: row.overall,
    }));
  }
}

@QueryHandler(WaitingConversationsQuery)
export class WaitingConversationsHandler implements IQueryHandler<WaitingConversationsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({
    accountId,
    inboxIds,
    limit,
  }: WaitingConversationsQuery): Promise<WaitingConversation[]> {
    if (inboxIds.length === 0) return [];
    const rows = await waitingConversations(this.dataSource, accountId, inboxIds, limit);
    return rows.map((row) => ({
      id: row.id,
      displayId: row.display_id,
      inboxId: row.inbox_id,
      teamId: row.team_id,
    }));
  }
}

@QueryHandler(UnansweredBotConversationsQuery)
export class UnansweredBotConversationsHandler implements IQueryHandler<UnansweredBotConversationsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({
    waitingBefore,
    limit,
  }: UnansweredBotConversationsQuery): Promise<UnansweredBotConversation[]> {
    const rows = await unansweredBotConversations(this.dataSource, waitingBefore, limit);
    return rows.map((row) => ({
      id: row.id,
      accountId: row.account_id,
      waitingSince: row.waiting_since,
    }));
  }
}

@QueryHandler(PendingBotConversationsQuery)
export class PendingBotConversationsHandler implements IQueryHandler<PendingBotConversationsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ accountId, inboxIds, agentBotId }: PendingBotConversationsQuery): Promise<number[]> {
    return pendingBotConversations(this.dataSource, accountId, inboxIds, agentBotId);
  }
}
