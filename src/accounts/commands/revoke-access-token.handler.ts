import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { IsNull } from 'typeorm';
import { UnitOfWork } from '../../outbox/index.js';
import { AccessTokenNotFoundError } from '../accounts.errors.js';
import { AccessToken } from '../entities/access-token.entity.js';
import { RevokeAccessTokenCommand } from './revoke-access-token.command.js';

@CommandHandler(RevokeAccessTokenCommand)
export class RevokeAccessTokenHandler implements ICommandHandler<RevokeAccessTokenCommand> {
  constructor(private readonly uow: UnitOfWork) {}

  async execute({ userId, tokenId }: RevokeAccessTokenCommand): Promise<void> {
    await this.uow.run(async ({ manager }) => {
      const tokens = manager.getRepository(AccessToken);
      const exists = await tokens.existsBy({ id: tokenId, user_id: userId });
      if (!exists) throw new AccessTokenNotFoundError(tokenId);
      await tokens.update(
        { id: tokenId, user_id: userId, revoked_at: IsNull() },
        { revoked_at: new Date() },
      );
    });
  }
}
