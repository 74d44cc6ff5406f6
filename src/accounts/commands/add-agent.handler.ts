import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { ConfigService } from '@nestjs/config';
import type { Environment } from '../../config/index.js';
import { AgentAlreadyExistsError, AgentInvitationPendingError } from '../accounts.errors.js';
import { issuePasswordSetupToken } from '../credentials.js';
import { AccountInvitation } from '../entities/account-invitation.entity.js';
import { AccountUser } from '../entities/account-user.entity.js';
import { User } from '../entities/user.entity.js';
import { AgentAddedEvent } from '../events/agent-added.event.js';
import { AccountStore } from '../account.store.js';
import { PasswordHasher } from '../password-hasher.service.js';
import { AddAgentCommand } from './add-agent.command.js';
import type { AddedAgent } from './add-agent.command.js';

@CommandHandler(AddAgentCommand)
export class AddAgentHandler implements ICommandHandler<AddAgentCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly passwords: PasswordHasher,
    private readonly store: AccountStore,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  async execute({ accountId, agent, actor }: AddAgentCommand): Promise<AddedAgent> {
    const email = agent.email.toLowerCase();
    const passwordHash = agent.password ? await this.passwords.hash(agent.password) : null;
    return this.uow.run(async ({ manager, publish }) => {
      await this.store.lock(manager, `user-email:${email}`);
      let user = await manager
        .getRepository(User)
        .createQueryBuilder('user')
        .where('lower(user.email) = :email', { email })
        .getOne();
      if (user) {
        const member = await manager
          .getRepository(AccountUser)
          .existsBy({ account_id: accountId, user_id: user.id });
        if (member) throw new AgentAlreadyExistsError(user.id);
        // Someone else's user: the account may ask, not take. They accept or decline it.
        const pending = await manager
          .getRepository(AccountInvitation)
          .findOneBy({ account_id: accountId, user_id: user.id });
        if (pending) throw new AgentInvitationPendingError(pending.id);
        const invitation = await manager.getRepository(AccountInvitation).save({
          account_id: accountId,
          user_id: user.id,
          email,
          role: agent.role,
          availability: agent.availability ?? 'offline',
          auto_offline: agent.autoOffline ?? true,
          invited_by_user_id: actor.type === 'user' ? actor.id : null,
        });
        return { userId: user.id, invitationId: invitation.id, passwordSetup: null };
      }
      const setup = passwordHash
        ? null
        : issuePasswordSetupToken(this.config.get('PASSWORD_SETUP_TTL_HOURS', { infer: true }));
      user = await manager.getRepository(User).save({
        name: agent.name,
        email,
        password_hash: passwordHash,
        password_setup_token_hash: setup?.hash ?? null,
        password_setup_expires_at: setup?.expiresAt ?? null,
        created_by_account_id: accountId,
      });
      await manager.getRepository(AccountUser).save({
        account_id: accountId,
        user_id: user.id,
        role: agent.role,
        availability: agent.availability ?? 'offline',
        auto_offline: agent.autoOffline ?? true,
      });
      publish(new AgentAddedEvent(accountId, user.id, agent.role, actor));
      return {
        userId: user.id,
        invitationId: null,
        passwordSetup: setup && { token: setup.token, expiresAt: setup.expiresAt },
      };
    });
  }
}
