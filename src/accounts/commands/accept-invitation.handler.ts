import { CommandHandler, EventBus, ICommandHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { InvitationNotFoundError } from '../accounts.errors.js';
import { AccountInvitation } from '../entities/account-invitation.entity.js';
import { AccountUser } from '../entities/account-user.entity.js';
import { AgentAddedEvent } from '../events/agent-added.event.js';
import { AcceptInvitationCommand } from './accept-invitation.command.js';

@CommandHandler(AcceptInvitationCommand)
export class AcceptInvitationHandler implements ICommandHandler<AcceptInvitationCommand> {
  constructor(
    private readonly dataSource: DataSource,
    private readonly events: EventBus,
  ) {}

  async execute({ userId, invitationId, actor }: AcceptInvitationCommand) {
    const invitation = await this.dataSource.transaction(async (manager) => {
      // The lock every membership change of this user takes (see AddAgentHandler, UpdateAgentHandler).
      const [{ email }] = await manager.query(
        `SELECT lower(email) AS email FROM users WHERE id = $1`,
        [userId],
      );
      await manager.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`user-email:${email}`]);
      const invitations = manager.getRepository(AccountInvitation);
      const found = await invitations.findOne({
        where: { id: invitationId, user_id: userId },
        lock: { mode: 'pessimistic_write' },
      });
      if (!found) throw new InvitationNotFoundError(invitationId);
      await invitations.delete({ id: found.id });
      await manager
        .createQueryBuilder()
        .insert()
        .into(AccountUser)
        .values({
          account_id: found.account_id,
          user_id: userId,
          role: found.role,
          availability: found.availability,
          auto_offline: found.auto_offline,
        })
        .orIgnore()
        .execute();
      return found;
    });
    this.events.publish(new AgentAddedEvent(invitation.account_id, userId, invitation.role, actor));
    return { accountId: invitation.account_id };
  }
}
