import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AccountStore } from '../account.store.js';
import { AgentResponse } from '../dto/responses.js';
import { AccountUser } from '../entities/account-user.entity.js';
import { TeamNotFoundError } from '../accounts.errors.js';
import { ListAgentsQuery } from './list-agents.query.js';

interface AgentRow {
  id: number;
  account_id: number;
  name: string;
  display_name: string | null;
  email: string;
  role: AgentResponse['role'];
  availability: AgentResponse['availability_status'];
  auto_offline: boolean;
  confirmed: boolean;
}

@QueryHandler(ListAgentsQuery)
export class ListAgentsHandler implements IQueryHandler<ListAgentsQuery> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly store: AccountStore,
  ) {}

  async execute({ accountId, filter }: ListAgentsQuery): Promise<AgentResponse[]> {
    if (filter.userIds?.length === 0) return [];
    const query = this.dataSource
      .getRepository(AccountUser)
      .createQueryBuilder('membership')
      .innerJoin('users', 'user', 'user.id = membership.user_id')
      .select([
        'user.id AS id',
        'membership.account_id AS account_id',
        'user.name AS name',
        'user.display_name AS display_name',
        'user.email AS email',
        'membership.role AS role',
        'membership.availability AS availability',
        'membership.auto_offline AS auto_offline',
        // Invited without a password and not set yet (PUT /auth/password clears the expiry).
        'user.password_setup_expires_at IS NULL AS confirmed',
      ])
      .where('membership.account_id = :accountId', { accountId })
      .orderBy('user.name', 'ASC')
      .addOrderBy('user.id', 'ASC');
    if (filter.userIds)
      query.andWhere('membership.user_id IN (:...userIds)', { userIds: filter.userIds });
    if (filter.teamId !== undefined) {
      if (!(await this.store.teamExists(accountId, filter.teamId)))
        throw new TeamNotFoundError(filter.teamId);
      query.innerJoin(
        'team_members',
        'member',
        'member.user_id = user.id AND member.team_id = :teamId',
        {
          teamId: filter.teamId,
        },
      );
    }
    const rows = await query.getRawMany<AgentRow>();
    return rows.map((row) => ({
      id: row.id,
      account_id: row.account_id,
      name: row.name,
      display_name: row.display_name,
      available_name: row.display_name ?? row.name,
      email: row.email,
      role: row.role,
      availability_status: row.availability,
      auto_offline: row.auto_offline,
      confirmed: row.confirmed,
      thumbnail: '',
    }));
  }
}
