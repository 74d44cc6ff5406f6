import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { AccountStore } from '../account.store.js';
import { InvitationNotFoundError } from '../accounts.errors.js';
import { AccountInvitation } from '../entities/account-invitation.entity.js';
import { AccountUser } from '../entities/account-user.entity.js';
import { AgentAddedEvent } from '../events/agent-added.event.js';
import { AcceptInvitationCommand } from './accept-invitation.command.js';

@CommandHandler(AcceptInvitationCommand)
export class AcceptInvitationHandler implements ICommandHandler<AcceptInvitationCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly store: AccountStore,
  ) {}

  execute({ userId, invitationId, actor }: AcceptInvitationCommand) {
    return this.uow.run(async ({ manager, publish }) => {
      // The lock every membership change of this user takes (see AddAgentHandler, UpdateAgentHandler).
      const email = await this.store.lowerEmailOf(manager, userId);
      await this.store.lock(manager, `user-email:${email}`);
      const invitations = manager.getRepository(AccountInvitation);
      const invitation = await invitations.findOneBy({ id: invitationId, user_id: userId });
      if (!invitation) throw new InvitationNotFoundError(invitationId);
      await invitations.delete({ id: invitation.id });
      await manager.getRepository(AccountUser).save({
        account_id: invitation.account_id,
        user_id: userId,
        role: invitation.role,
        availability: invitation.availability,
        auto_offline: invitation.auto_offline,
      });
      publish(new AgentAddedEvent(invitation.account_id, userId, invitation.role, actor));
      return { accountId: invitation.account_id };
    });
  }
}
