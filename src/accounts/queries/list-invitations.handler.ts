import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ListInvitationsQuery } from './list-invitations.query.js';
import type { InvitationRow } from './list-invitations.query.js';

@QueryHandler(ListInvitationsQuery)
export class ListInvitationsHandler implements IQueryHandler<ListInvitationsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  execute({ scope, invitationId }: ListInvitationsQuery): Promise<InvitationRow[]> {
    const [column, owner] =
      'userId' in scope ? ['i.user_id', scope.userId] : ['i.account_id', scope.accountId];
    return this.dataSource.query(
      `SELECT i.id, i.account_id, a.name AS account_name, i.email, i.role, i.availability,
              i.auto_offline, u.id AS invited_by_id, u.name AS invited_by_name, i.created_at
         FROM account_invitations i
         JOIN accounts a ON a.id = i.account_id
         LEFT JOIN users u ON u.id = i.invited_by_user_id
        WHERE ${column} = $1 AND ($2::int IS NULL OR i.id = $2)
        ORDER BY i.id`,
      [owner, invitationId ?? null],
    );
  }
}
