import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ContactReadModel } from '../contact.read-model.js';
import { AmbiguousSourceIdError, ContactSourceNotFoundError } from '../contacts.errors.js';
import { InboxOfSourceQuery } from './inbox-of-source.query.js';

@QueryHandler(InboxOfSourceQuery)
export class InboxOfSourceHandler implements IQueryHandler<InboxOfSourceQuery> {
  constructor(private readonly readModel: ContactReadModel) {}

  async execute({ accountId, sourceId }: InboxOfSourceQuery): Promise<number> {
    const inboxIds = await this.readModel.inboxesWithSource(accountId, sourceId);
    if (inboxIds.length === 0) throw new ContactSourceNotFoundError(sourceId, 'account');
    if (inboxIds.length > 1) throw new AmbiguousSourceIdError(sourceId, inboxIds);
    return inboxIds[0];
  }
}
