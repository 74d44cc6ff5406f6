import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AgentLoadQuery, WaitingConversationsQuery } from './assignment-state.query.js';
import type { AgentLoad, WaitingConversation } from './assignment-state.query.js';

@QueryHandler(AgentLoadQuery)
export class AgentLoadHandler implements IQueryHandler<AgentLoadQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ accountId, inboxId, userIds }: AgentLoadQuery): Promise<AgentLoad[]> {
    if (userIds.length === 0) return [];
    const rows: { user_id: number; in_inbox: number; overall: number }[] =
      await this.dataSource.query(
        `SELECT u.user_id,
              count(c.id) FILTER (WHERE c.inbox_id = $3)::int AS in_inbox,
              count(c.id)::int AS overall
         FROM unnest($2::int[]) AS u(user_id)
         LEFT JOIN conversations c ON c.assignee_id = u.user_id AND c.account_id = $1 AND c.status = 'open'
        GROUP BY u.user_id`,
        [accountId, userIds, inboxId],
      );
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
    const rows: { id: number; display_id: number; inbox_id: number; team_id: number | null }[] =
      await this.dataSource.query(
        `SELECT id, display_id, inbox_id, team_id FROM conversations
        WHERE account_id = $1 AND inbox_id = ANY($2::int[]) AND status = 'open' AND assignee_id IS NULL
        ORDER BY created_at, id LIMIT $3`,
        [accountId, inboxIds, limit],
      );
    return rows.map((row) => ({
      id: row.id,
      displayId: row.display_id,
      inboxId: row.inbox_id,
      teamId: row.team_id,
    }));
  }
}
