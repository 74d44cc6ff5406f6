import { CommandHandler, ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { In, IsNull } from 'typeorm';
import { ListAgentsQuery } from '../../accounts/index.js';
import { UnprocessableError } from '../../common/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import { InboxMember } from '../entities/inbox-member.entity.js';
import { Inbox } from '../entities/inbox.entity.js';
import { InboxNotFoundError } from '../inboxes.errors.js';
import { ChangeInboxMembersCommand } from './change-inbox-members.command.js';

@CommandHandler(ChangeInboxMembersCommand)
export class ChangeInboxMembersHandler implements ICommandHandler<ChangeInboxMembersCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly queries: QueryBus,
  ) {}

  async execute({ accountId, inboxId, change, userIds }: ChangeInboxMembersCommand): Promise<void> {
    const wanted = [...new Set(userIds)];
    if (change !== 'remove' && wanted.length > 0) {
      const agents = await this.queries.execute(
        new ListAgentsQuery(accountId, { userIds: wanted }),
      );
      const known = new Set(agents.map((agent) => agent.id));
      const unknown = wanted.filter((id) => !known.has(id));
      if (unknown.length > 0) {
        throw new UnprocessableError(
          'unknown_agents',
          `These user ids are not agents of this account: ${unknown.join(', ')}. Add them with POST /agents first.`,
          { user_ids: unknown },
        );
      }
    }
    await this.uow.run(async ({ manager }) => {
      const inbox = await manager.getRepository(Inbox).findOne({
        where: { id: inboxId, account_id: accountId, deleted_at: IsNull() },
        lock: { mode: 'pessimistic_write' },
      });
      if (!inbox) throw new InboxNotFoundError(inboxId);
      const members = manager.getRepository(InboxMember);
      if (change === 'remove') {
        if (wanted.length > 0) await members.delete({ inbox_id: inboxId, user_id: In(wanted) });
        return;
      }
      if (change === 'replace') await members.delete({ inbox_id: inboxId });
      if (wanted.length > 0) {
        await members
          .createQueryBuilder()
          .insert()
          .values(wanted.map((user_id) => ({ inbox_id: inboxId, user_id })))
          .orIgnore()
          .execute();
      }
    });
  }
}
