import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { InvitationNotFoundError } from '../accounts.errors.js';
import { AccountInvitation } from '../entities/account-invitation.entity.js';
import { DeleteInvitationCommand } from './delete-invitation.command.js';

@CommandHandler(DeleteInvitationCommand)
export class DeleteInvitationHandler implements ICommandHandler<DeleteInvitationCommand> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ scope, invitationId }: DeleteInvitationCommand): Promise<void> {
    const owner = 'userId' in scope ? { user_id: scope.userId } : { account_id: scope.accountId };
    const { affected } = await this.dataSource
      .getRepository(AccountInvitation)
      .delete({ id: invitationId, ...owner });
    if (!affected) throw new InvitationNotFoundError(invitationId);
  }
}
