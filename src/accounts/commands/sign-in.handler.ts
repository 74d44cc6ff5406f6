import { ConfigService } from '@nestjs/config';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { UnitOfWork } from '../../outbox/index.js';
import type { Environment } from '../../config/index.js';
import { InvalidSignInError } from '../accounts.errors.js';
import { issueToken } from '../credentials.js';
import { AccessToken } from '../entities/access-token.entity.js';
import { User } from '../entities/user.entity.js';
import { PasswordHasher } from '../password-hasher.service.js';
import { SignInCommand } from './sign-in.command.js';

const DAY_MS = 86_400_000;

@CommandHandler(SignInCommand)
export class SignInHandler implements ICommandHandler<SignInCommand> {
  private readonly ttlDays: number;

  constructor(
    @InjectRepository(User) private readonly users: Repository<User>,
    private readonly uow: UnitOfWork,
    private readonly passwords: PasswordHasher,
    config: ConfigService<Environment, true>,
  ) {
    this.ttlDays = config.get('SIGN_IN_TOKEN_TTL_DAYS', { infer: true });
  }

  async execute({ email, password }: SignInCommand) {
    const user = await this.users
      .createQueryBuilder('user')
      .addSelect('user.password_hash')
      .where('lower(user.email) = :email', { email: email.toLowerCase() })
      .getOne();
    const valid = await this.passwords.verify(password, user?.password_hash);
    if (!user || !valid) throw new InvalidSignInError();

    const issued = issueToken();
    const saved = await this.uow.run(({ manager }) =>
      manager.getRepository(AccessToken).save({
        user_id: user.id,
        name: `Sign-in ${new Date().toISOString().slice(0, 16).replace('T', ' ')} UTC`,
        kind: 'sign_in',
        token_hash: issued.hash,
        hint: issued.hint,
        expires_at: new Date(Date.now() + this.ttlDays * DAY_MS),
      }),
    );
    return { userId: user.id, tokenId: saved.id, token: issued.token };
  }
}
