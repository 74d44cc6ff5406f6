import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { issueToken } from '../credentials.js';
import { AccessToken } from '../entities/access-token.entity.js';
import { CreateAccessTokenCommand } from './create-access-token.command.js';

@CommandHandler(CreateAccessTokenCommand)
export class CreateAccessTokenHandler implements ICommandHandler<CreateAccessTokenCommand> {
  constructor(@InjectRepository(AccessToken) private readonly tokens: Repository<AccessToken>) {}

  async execute({ userId, name, expiresInDays }: CreateAccessTokenCommand) {
    const issued = issueToken();
    const saved = await this.tokens.save({
      user_id: userId,
      name,
      kind: 'personal',
      token_hash: issued.hash,
      hint: issued.hint,
      expires_at: expiresInDays ? new Date(Date.now() + expiresInDays * 86_400_000) : null,
    });
    return { id: saved.id, token: issued.token };
  }
}
