import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { UnitOfWork } from '../../outbox/index.js';
import { issueToken } from '../credentials.js';
import { AccessToken } from '../entities/access-token.entity.js';
import { CreateAccessTokenCommand } from './create-access-token.command.js';

@CommandHandler(CreateAccessTokenCommand)
export class CreateAccessTokenHandler implements ICommandHandler<CreateAccessTokenCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ userId, name, expiresInDays }: CreateAccessTokenCommand) {
    const issued = issueToken();
    const saved = await this.uow.run(({ manager }) =>
      manager.getRepository(AccessToken).save({
        user_id: userId,
        name,
        kind: 'personal',
        token_hash: issued.hash,
        hint: issued.hint,
        expires_at: expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null,
      }),
    );
    return { id: saved.id, token: issued.token };
  }
}
