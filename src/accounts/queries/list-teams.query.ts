import { Query } from '@nestjs/cqrs';
import type { TeamResponse } from '../dto/responses.js';

/** The account's teams (or one, by id), with whether `viewerId` is a member of each. */
export class ListTeamsQuery extends Query<TeamResponse[]> {
  constructor(
    readonly accountId: number,
    readonly viewerId: number,
    readonly teamId?: number,
  ) {
    super();
  }
}
