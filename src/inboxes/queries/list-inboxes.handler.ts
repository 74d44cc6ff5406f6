import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { InboxResponse, toInboxResponse } from '../dto/inbox.response.js';
import { Inbox } from '../entities/inbox.entity.js';
import { InboxNotFoundError } from '../inboxes.errors.js';
import { InboxAssignmentLimitsQuery } from './inbox-assignment-limits.query.js';
import { InboxWebhooksQuery } from './inbox-webhooks.query.js';
import { ListInboxesQuery } from './list-inboxes.query.js';

@QueryHandler(ListInboxesQuery)
export class ListInboxesHandler implements IQueryHandler<ListInboxesQuery> {
  constructor(
    @InjectRepository(Inbox) private readonly inboxes: Repository<Inbox>,
    private readonly queries: QueryBus,
  ) {}

  async execute({ accountId, viewer, inboxId }: ListInboxesQuery): Promise<InboxResponse[]> {
    const query = this.inboxes
      .createQueryBuilder('inbox')
      .where('inbox.account_id = :accountId', { accountId })
      .andWhere('inbox.deleted_at IS NULL')
      .orderBy('inbox.id', 'ASC');
    if (inboxId !== undefined) query.andWhere('inbox.id = :inboxId', { inboxId });
    if (viewer.role !== 'administrator') {
      query.innerJoin(
        'inbox_members',
        'member',
        'member.inbox_id = inbox.id AND member.user_id = :userId',
        {
          userId: viewer.userId,
        },
      );
    }
    const inboxes = await query.getMany();
    if (inboxId !== undefined && inboxes.length === 0) throw new InboxNotFoundError(inboxId);
    const ids = inboxes.map((inbox) => inbox.id);
    const [webhooks, limits] = await Promise.all([
      this.queries.execute(new InboxWebhooksQuery(ids)),
      this.queries.execute(new InboxAssignmentLimitsQuery(ids)),
    ]);
    return inboxes.map((inbox) =>
      toInboxResponse(
        inbox,
        webhooks.get(inbox.id) ?? { url: null, secret: '' },
        limits.get(inbox.id),
        viewer.role === 'administrator',
      ),
    );
  }
}
