import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity.js';
import { UnitOfWork } from '../../outbox/index.js';
import { AccountStore } from '../account.store.js';
import {
  CurrentPasswordMismatchError,
  CurrentPasswordRequiredError,
  EmailTakenError,
} from '../accounts.errors.js';
import { User } from '../entities/user.entity.js';
import { PasswordHasher } from '../password-hasher.service.js';
import { UpdateProfileCommand } from './update-profile.command.js';

@CommandHandler(UpdateProfileCommand)
export class UpdateProfileHandler implements ICommandHandler<UpdateProfileCommand> {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly passwords: PasswordHasher,
    private readonly uow: UnitOfWork,
    private readonly store: AccountStore,
  ) {}

  async execute({ userId, changes }: UpdateProfileCommand): Promise<void> {
    const update: Partial<User> = {};
    if (changes.name !== undefined) update.name = changes.name;
    if (changes.display_name !== undefined) update.display_name = changes.display_name;
    if (changes.message_signature !== undefined)
      update.message_signature = changes.message_signature;
    if (changes.phone_number !== undefined) update.phone_number = changes.phone_number;
    if (changes.ui_settings !== undefined) update.ui_settings = changes.ui_settings;
    if (changes.password !== undefined || changes.email !== undefined) {
      const user = await this.users
        .createQueryBuilder('user')
        .addSelect('user.password_hash')
        .where('user.id = :userId', { userId })
        .getOneOrFail();
      // A new password, or a new sign-in email (which a password reset would then reach), needs
      // the current password: an access token alone must not be enough to take the account
      // over. A user without a password yet has none to prove. An unchanged email, which
      // Chatwoot's profile form sends with every save, needs nothing.
      const emailChanges =
        changes.email !== undefined && changes.email.toLowerCase() !== user.email.toLowerCase();
      if (user.password_hash && (changes.password !== undefined || emailChanges)) {
        if (!changes.current_password) throw new CurrentPasswordRequiredError();
        const valid = await this.passwords.verify(changes.current_password, user.password_hash);
        if (!valid) throw new CurrentPasswordMismatchError();
      }
      if (changes.password !== undefined)
        update.password_hash = await this.passwords.hash(changes.password);
    }
    const email = changes.email;
    if (Object.keys(update).length > 0 || email !== undefined)
      await this.uow.run(async ({ manager }) => {
        if (email !== undefined) {
          // The same lock as adding an agent, so two users never end up with one email.
          await this.store.lock(manager, `user-email:${email}`);
          const taken = await manager
            .getRepository(User)
            .createQueryBuilder('user')
            .where('lower(user.email) = :email AND user.id <> :userId', { email, userId })
            .getExists();
          if (taken) throw new EmailTakenError();
          update.email = email;
        }
        await manager
          .getRepository(User)
          .update({ id: userId }, update as QueryDeepPartialEntity<User>);
      });
  }
}
