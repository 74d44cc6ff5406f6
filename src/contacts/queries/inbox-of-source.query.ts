import { Query } from '@nestjs/cqrs';

/**
 * The inbox where a contact of the account has this source_id, for callers that name a contact
 * by its source_id alone (Chatwoot's conversation create). None is a 404; several is a 422
 * that asks for inbox_id.
 */
export class InboxOfSourceQuery extends Query<number> {
  constructor(
    readonly accountId: number,
    readonly sourceId: string,
  ) {
    super();
  }
}
