import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { InvitationNotFoundError } from '../accounts.errors.js';
import { AccountInvitation } from '../entities/account-invitation.entity.js';
import { DeleteInvitationCommand } from './delete-invitation.command.js';

@CommandHandler(DeleteInvitationCommand)
export class DeleteInvitationHandler implements ICommandHandler<DeleteInvitationCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  execute({ scope, invitationId }: DeleteInvitationCommand): Promise<void> {
    const owner = 'userId' in scope ? { user_id: scope.userId } : { account_id: scope.accountId };
    return this.uow.run(async ({ manager }) => {
      const { affected } = await manager
        .getRepository(AccountInvitation)
        .delete({ id: invitationId, ...owner });
      if (!affected) throw new InvitationNotFoundError(invitationId);
    });
  }
}
