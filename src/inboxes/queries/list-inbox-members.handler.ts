import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { InboxNotFoundError } from '../inboxes.errors.js';
import { ListInboxMembersQuery } from './list-inbox-members.query.js';

@QueryHandler(ListInboxMembersQuery)
export class ListInboxMembersHandler implements IQueryHandler<ListInboxMembersQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ accountId, inboxId }: ListInboxMembersQuery): Promise<number[]> {
    const rows: { user_id: number | null }[] = await this.dataSource.query(
      `SELECT m.user_id FROM inboxes i LEFT JOIN inbox_members m ON m.inbox_id = i.id
        WHERE i.id = $1 AND i.account_id = $2 AND i.deleted_at IS NULL ORDER BY m.user_id`,
      [inboxId, accountId],
    );
    if (rows.length === 0) throw new InboxNotFoundError(inboxId);
    return rows.flatMap((row) => (row.user_id === null ? [] : [row.user_id]));
  }
}
