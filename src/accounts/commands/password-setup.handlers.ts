import { ConfigService } from '@nestjs/config';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { MoreThan, Repository } from 'typeorm';
import type { Environment } from '../../config/index.js';
import { UnitOfWork } from '../../outbox/index.js';
import { AccountStore } from '../account.store.js';
import {
  AgentNotFoundError,
  InvalidPasswordSetupTokenError,
  PasswordAlreadySetError,
} from '../accounts.errors.js';
import { hashToken, issuePasswordSetupToken } from '../credentials.js';
import { AccountUser } from '../entities/account-user.entity.js';
import { User } from '../entities/user.entity.js';
import { PasswordHasher } from '../password-hasher.service.js';
import {
  ReissuePasswordSetupCommand,
  SetPasswordWithTokenCommand,
} from './password-setup.commands.js';

@CommandHandler(SetPasswordWithTokenCommand)
export class SetPasswordWithTokenHandler implements ICommandHandler<SetPasswordWithTokenCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly passwords: PasswordHasher,
    private readonly store: AccountStore,
    @InjectRepository(User) private readonly users: Repository<User>,
  ) {}

  async execute({ token, password }: SetPasswordWithTokenCommand) {
    const tokenHash = hashToken(token);
    // Checked before hashing: an anonymous caller must not make the server hash for nothing.
    const known = await this.users.existsBy({
      password_setup_token_hash: tokenHash,
      password_setup_expires_at: MoreThan(new Date()),
    });
    if (!known) throw new InvalidPasswordSetupTokenError();
    const passwordHash = await this.passwords.hash(password);
    return this.uow.run(async ({ manager }) => {
      const user = await this.store.usePasswordSetupToken(manager, tokenHash, passwordHash);
      if (!user) throw new InvalidPasswordSetupTokenError();
      return { userId: user.id, email: user.email };
    });
  }
}

@CommandHandler(ReissuePasswordSetupCommand)
export class ReissuePasswordSetupHandler implements ICommandHandler<ReissuePasswordSetupCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly config: ConfigService<Environment, true>,
    private readonly store: AccountStore,
  ) {}

  async execute({ accountId, userId }: ReissuePasswordSetupCommand) {
    const setup = issuePasswordSetupToken(
      this.config.get('PASSWORD_SETUP_TTL_HOURS', { infer: true }),
    );
    return this.uow.run(async ({ manager }) => {
      const member = await manager
        .getRepository(AccountUser)
        .existsBy({ account_id: accountId, user_id: userId });
      if (!member) throw new AgentNotFoundError(userId);
      if (!(await this.store.replacePasswordSetupToken(manager, accountId, userId, setup)))
        throw new PasswordAlreadySetError(userId);
      return { token: setup.token, expiresAt: setup.expiresAt };
    });
  }
}
