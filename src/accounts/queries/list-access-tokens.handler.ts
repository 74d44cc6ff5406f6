import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { InjectRepository } from '@nestjs/typeorm';
import { Repository } from 'typeorm';
import { AccessTokenResponse } from '../dto/responses.js';
import { AccessToken } from '../entities/access-token.entity.js';
import { ListAccessTokensQuery } from './list-access-tokens.query.js';

@QueryHandler(ListAccessTokensQuery)
export class ListAccessTokensHandler implements IQueryHandler<ListAccessTokensQuery> {
  constructor(@InjectRepository(AccessToken) private readonly tokens: Repository<AccessToken>) {}

  async execute({ userId, tokenId }: ListAccessTokensQuery): Promise<AccessTokenResponse[]> {
    const tokens = await this.tokens.find({
      where: { user_id: userId, ...(tokenId ? { id: tokenId } : {}) },
      order: { id: 'DESC' },
      select: {
        id: true,
        name: true,
        kind: true,
        hint: true,
        created_at: true,
        expires_at: true,
        last_used_at: true,
        revoked_at: true,
      },
    });
    return tokens.map(
      ({ id, name, kind, hint, created_at, expires_at, last_used_at, revoked_at }) => ({
        id,
        name,
        kind,
        hint,
        created_at,
        expires_at,
        last_used_at,
        revoked_at,
      }),
    );
  }
}
