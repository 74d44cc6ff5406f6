import { Command } from '@nestjs/cqrs';
import type { Actor } from '../../common/index.js';

/** The invited user accepts: they become an agent of the account with the invited role. */
export class AcceptInvitationCommand extends Command<{ accountId: number }> {
  constructor(
    readonly userId: number,
    readonly invitationId: number,
    readonly actor: Actor,
  ) {
    super();
  }
}
