import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { AccountStore } from '../account.store.js';
import { TeamNotFoundError } from '../accounts.errors.js';
import { TeamResponse } from '../dto/responses.js';
import { ListTeamsQuery } from './list-teams.query.js';

@QueryHandler(ListTeamsQuery)
export class ListTeamsHandler implements IQueryHandler<ListTeamsQuery> {
  constructor(private readonly store: AccountStore) {}

  async execute({ accountId, viewerId, teamId }: ListTeamsQuery): Promise<TeamResponse[]> {
    const rows = await this.store.teams(accountId, viewerId, teamId);
    if (teamId !== undefined && rows.length === 0) throw new TeamNotFoundError(teamId);
    return rows;
  }
}
