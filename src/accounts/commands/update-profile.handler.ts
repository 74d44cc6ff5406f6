import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UnitOfWork } from '../../outbox/index.js';
import { CurrentPasswordMismatchError } from '../accounts.errors.js';
import { User } from '../entities/user.entity.js';
import { PasswordHasher } from '../password-hasher.service.js';
import { UpdateProfileCommand } from './update-profile.command.js';

@CommandHandler(UpdateProfileCommand)
export class UpdateProfileHandler implements ICommandHandler<UpdateProfileCommand> {
  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly passwords: PasswordHasher,
    private readonly uow: UnitOfWork,
  ) {}

  async execute({ userId, changes }: UpdateProfileCommand): Promise<void> {
    const update: Partial<User> = {};
    if (changes.name !== undefined) update.name = changes.name;
    if (changes.display_name !== undefined) update.display_name = changes.display_name;
    if (changes.password !== undefined) {
      const user = await this.users
        .createQueryBuilder('user')
        .addSelect('user.password_hash')
        .where('user.id = :userId', { userId })
        .getOneOrFail();
      // A user without a password yet may set one; anyone else must prove the current one.
      if (user.password_hash) {
        const valid = await this.passwords.verify(
          changes.current_password ?? '',
          user.password_hash,
        );
        if (!valid) throw new CurrentPasswordMismatchError();
      }
      update.password_hash = await this.passwords.hash(changes.password);
    }
    if (Object.keys(update).length > 0)
      await this.uow.run(({ manager }) =>
        manager.getRepository(User).update({ id: userId }, update),
      );
  }
}
