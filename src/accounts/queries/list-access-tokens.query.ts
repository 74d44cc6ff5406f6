import { Query } from '@nestjs/cqrs';
import type { AccessTokenResponse } from '../dto/responses.js';

/** The user's tokens, newest first, with ids and hints but never the secrets. */
export class ListAccessTokensQuery extends Query<AccessTokenResponse[]> {
  constructor(
    readonly userId: number,
    readonly tokenId?: number,
  ) {
    super();
  }
}
