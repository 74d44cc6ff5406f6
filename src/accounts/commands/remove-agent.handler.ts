import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { AccountStore } from '../account.store.js';
import { AgentNotFoundError } from '../accounts.errors.js';
import { AccountUser } from '../entities/account-user.entity.js';
import { assertAnotherAdministrator } from './last-administrator.js';
import { AgentRemovedEvent } from '../events/agent-removed.event.js';
import { RemoveAgentCommand } from './remove-agent.command.js';

@CommandHandler(RemoveAgentCommand)
export class RemoveAgentHandler implements ICommandHandler<RemoveAgentCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: AccountStore,
  ) {}

  async execute({ accountId, userId, actor }: RemoveAgentCommand): Promise<void> {
    await this.uow.run(async ({ manager, publish }) => {
      const membership = await manager.getRepository(AccountUser).findOne({
        where: { account_id: accountId, user_id: userId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!membership) throw new AgentNotFoundError(userId);
      if (membership.role === 'administrator')
        await assertAnotherAdministrator(this.store, manager, accountId, userId);
      await this.store.removeTeamMemberships(manager, accountId, userId);
      await manager.getRepository(AccountUser).delete({ id: membership.id });
      publish(new AgentRemovedEvent(accountId, userId, actor));
    });
  }
}
