import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { generatePassword, issueToken } from '../credentials.js';
import { AccessToken } from '../entities/access-token.entity.js';
import { Account } from '../entities/account.entity.js';
import { AccountUser } from '../entities/account-user.entity.js';
import { User } from '../entities/user.entity.js';
import { AgentAddedEvent } from '../events/agent-added.event.js';
import { AccountStore } from '../account.store.js';
import { PasswordHasher } from '../password-hasher.service.js';
import { SetupAccountCommand, SetupAccountResult } from './setup-account.command.js';
import { SYSTEM_ACTOR } from '../../common/index.js';

@CommandHandler(SetupAccountCommand)
export class SetupAccountHandler implements ICommandHandler<SetupAccountCommand> {
  constructor(
    private readonly uow: UnitOfWork,
    private readonly passwords: PasswordHasher,
    private readonly store: AccountStore,
  ) {}

  async execute(command: SetupAccountCommand): Promise<SetupAccountResult> {
    const email = command.email.trim().toLowerCase();
    const generatedPassword = command.password ? null : generatePassword();
    const passwordHash = await this.passwords.hash(command.password ?? generatedPassword!);
    const issued = issueToken();

    return this.uow.run(async ({ manager, publish }): Promise<SetupAccountResult> => {
      // Serialise concurrent setups for the same email, so running the CLI twice is harmless.
      await this.store.lock(manager, `setup:${email}`);
      const existing = await manager
        .getRepository(User)
        .createQueryBuilder('user')
        .where('lower(user.email) = :email', { email })
        .getOne();
      if (existing) return { created: false, userId: existing.id };

      const account = await manager
        .getRepository(Account)
        .save({ name: command.accountName.trim() });
      const user = await manager.getRepository(User).save({
        name: command.name.trim(),
        email,
        password_hash: passwordHash,
        created_by_account_id: account.id,
      });
      await manager.getRepository(AccountUser).save({
        account_id: account.id,
        user_id: user.id,
        role: 'administrator',
        availability: 'online',
      });
      await manager.getRepository(AccessToken).save({
        user_id: user.id,
        name: 'Created by setup',
        kind: 'personal',
        token_hash: issued.hash,
        hint: issued.hint,
      });
      publish(new AgentAddedEvent(account.id, user.id, 'administrator', SYSTEM_ACTOR));
      return {
        created: true,
        accountId: account.id,
        userId: user.id,
        token: issued.token,
        generatedPassword,
      };
    });
  }
}
