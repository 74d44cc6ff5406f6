import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ContactReadModel } from '../contact.read-model.js';
import { ContactSourceNotFoundError } from '../contacts.errors.js';
import { ContactInboxRef, toContactInboxRef } from '../dto/contact.responses.js';
import { FindContactInboxQuery } from './find-contact-inbox.query.js';

@QueryHandler(FindContactInboxQuery)
export class FindContactInboxHandler implements IQueryHandler<FindContactInboxQuery> {
  constructor(private readonly readModel: ContactReadModel) {}

  async execute({ inboxId, sourceId }: FindContactInboxQuery): Promise<ContactInboxRef> {
    // One prepared round trip: this runs on every Client API contact request.
    const row = await this.readModel.bySource(inboxId, sourceId);
    if (!row) throw new ContactSourceNotFoundError(sourceId);
    return toContactInboxRef(row);
  }
}
