import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import type { EntityManager } from 'typeorm';
import { UnitOfWork } from '../../outbox/index.js';
import { AccountStore } from '../account.store.js';
import { AgentNotFoundError, AgentProfileNotEditableError } from '../accounts.errors.js';
import { AccountUser } from '../entities/account-user.entity.js';
import { User } from '../entities/user.entity.js';
import { AgentAvailabilityChangedEvent } from '../events/agent-availability-changed.event.js';
import { assertAnotherAdministrator } from './last-administrator.js';
import { UpdateAgentCommand } from './update-agent.command.js';

@CommandHandler(UpdateAgentCommand)
export class UpdateAgentHandler implements ICommandHandler<UpdateAgentCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: AccountStore,
  ) {}

  async execute({ accountId, userId, changes, actor }: UpdateAgentCommand): Promise<void> {
    await this.uow.run(async ({ manager, publish }) => {
      const memberships = manager.getRepository(AccountUser);
      const membership = await memberships.findOne({
        where: { account_id: accountId, user_id: userId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!membership) throw new AgentNotFoundError(userId);
      if (changes.name) await this.assertMayRename(manager, accountId, userId, changes.name);
      if (membership.role === 'administrator' && changes.role === 'agent') {
        await assertAnotherAdministrator(this.store, manager, accountId, userId);
      }
      const update: Partial<AccountUser> = {};
      if (changes.role) update.role = changes.role;
      if (changes.availability) update.availability = changes.availability;
      if (changes.autoOffline !== undefined) update.auto_offline = changes.autoOffline;
      if (Object.keys(update).length > 0) await memberships.update({ id: membership.id }, update);
      if (changes.name)
        await manager.getRepository(User).update({ id: userId }, { name: changes.name });
      const previous = membership.availability;
      if (changes.availability && changes.availability !== previous) {
        publish(
          new AgentAvailabilityChangedEvent(
            accountId,
            userId,
            changes.availability,
            previous,
            actor,
          ),
        );
      }
    });
  }

  /**
   * A name is the user's own, seen in every account they belong to: an administrator may set it
   * only for a user their account created and that no other account shares (or leave it as is).
   */
  private async assertMayRename(
    manager: EntityManager,
    accountId: number,
    userId: number,
    name: string,
  ): Promise<void> {
    const user = await manager.getRepository(User).findOneByOrFail({ id: userId });
    if (user.name === name) return;
    // The lock AddAgentHandler takes: no other account can add the user until this commits.
    await this.store.lock(manager, `user-email:${user.email.toLowerCase()}`);
    const others = await this.store.otherMembershipCount(manager, userId, accountId);
    if (user.created_by_account_id !== accountId || others > 0) {
      throw new AgentProfileNotEditableError('name');
    }
  }
}
