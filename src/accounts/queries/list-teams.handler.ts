import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { TeamNotFoundError } from '../accounts.errors.js';
import { TeamResponse } from '../dto/responses.js';
import { ListTeamsQuery } from './list-teams.query.js';

@QueryHandler(ListTeamsQuery)
export class ListTeamsHandler implements IQueryHandler<ListTeamsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ accountId, viewerId, teamId }: ListTeamsQuery): Promise<TeamResponse[]> {
    const rows: TeamResponse[] = await this.dataSource.query(
      `SELECT t.id, t.account_id, t.name, t.description, t.allow_auto_assign,
              EXISTS (SELECT 1 FROM team_members m WHERE m.team_id = t.id AND m.user_id = $2) AS is_member
         FROM teams t
        WHERE t.account_id = $1 AND ($3::integer IS NULL OR t.id = $3)
        ORDER BY t.name, t.id`,
      [accountId, viewerId, teamId ?? null],
    );
    if (teamId !== undefined && rows.length === 0) throw new TeamNotFoundError(teamId);
    return rows;
  }
}
