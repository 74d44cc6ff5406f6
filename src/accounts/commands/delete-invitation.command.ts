import { Command } from '@nestjs/cqrs';

/** Drops a pending invitation: declined by the invited user, or revoked by the account. */
export class DeleteInvitationCommand extends Command<void> {
  constructor(
    readonly scope: { userId: number } | { accountId: number },
    readonly invitationId: number,
  ) {
    super();
  }
}
