import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { IsNull, Repository } from 'typeorm';
import { AccessTokenNotFoundError } from '../accounts.errors.js';
import { AccessToken } from '../entities/access-token.entity.js';
import { RevokeAccessTokenCommand } from './revoke-access-token.command.js';

@CommandHandler(RevokeAccessTokenCommand)
export class RevokeAccessTokenHandler implements ICommandHandler<RevokeAccessTokenCommand> {
  constructor(@InjectRepository(AccessToken) private readonly tokens: Repository<AccessToken>) {}

  async execute({ userId, tokenId }: RevokeAccessTokenCommand): Promise<void> {
    const exists = await this.tokens.existsBy({ id: tokenId, user_id: userId });
    if (!exists) throw new AccessTokenNotFoundError(tokenId);
    await this.tokens.update(
      { id: tokenId, user_id: userId, revoked_at: IsNull() },
      { revoked_at: new Date() },
    );
  }
}
