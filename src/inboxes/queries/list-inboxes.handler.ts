import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { InboxResponse, toInboxResponse } from '../dto/inbox.response.js';
import { Inbox } from '../entities/inbox.entity.js';
import { InboxNotFoundError } from '../inboxes.errors.js';
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
    const webhooks = await this.queries.execute(
      new InboxWebhooksQuery(inboxes.map((inbox) => inbox.id)),
    );
    return inboxes.map((inbox) =>
      toInboxResponse(
        inbox,
        webhooks.get(inbox.id) ?? { url: null, secret: '' },
        viewer.role === 'administrator',
      ),
    );
  }
}
