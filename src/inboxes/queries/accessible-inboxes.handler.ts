import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AccessibleInboxesQuery } from './accessible-inboxes.query.js';

@QueryHandler(AccessibleInboxesQuery)
export class AccessibleInboxesHandler implements IQueryHandler<AccessibleInboxesQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ accountId, viewer }: AccessibleInboxesQuery): Promise<number[] | 'all'> {
    if (viewer.role === 'administrator') return 'all';
    const rows: { id: number }[] = await this.dataSource.query(
      `SELECT i.id FROM inboxes i JOIN inbox_members m ON m.inbox_id = i.id
        WHERE i.account_id = $1 AND m.user_id = $2 AND i.deleted_at IS NULL`,
      [accountId, viewer.userId],
    );
    return rows.map((row) => row.id);
  }
}
