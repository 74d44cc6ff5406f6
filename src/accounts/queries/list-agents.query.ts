import { Query } from '@nestjs/cqrs';
import type { AgentResponse } from '../dto/responses.js';

/**
 * The agents of an account, by name; narrowed to `userIds` or to one team's members when given.
 * Other modules use it to check that a user is an agent of an account.
 */
export class ListAgentsQuery extends Query<AgentResponse[]> {
  constructor(
    readonly accountId: number,
    readonly filter: { userIds?: number[]; teamId?: number } = {},
  ) {
    super();
  }
}
