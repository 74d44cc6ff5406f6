import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { PreparedQuery } from '../../database/index.js';
import { ContactSourceNotFoundError } from '../contacts.errors.js';
import { contactPushData, ContactInboxRef } from '../dto/contact.responses.js';
import { ContactInbox } from '../entities/contact-inbox.entity.js';
import { Contact } from '../entities/contact.entity.js';
import { FindContactInboxQuery } from './find-contact-inbox.query.js';

const CONTACT_BY_SOURCE = new PreparedQuery<Contact & { link: ContactInbox }>(
  'contact_by_source',
  `SELECT c.*, row_to_json(ci) AS link FROM contact_inboxes ci JOIN contacts c ON c.id = ci.contact_id
    WHERE ci.inbox_id = $1 AND ci.source_id = $2`,
);

@QueryHandler(FindContactInboxQuery)
export class FindContactInboxHandler implements IQueryHandler<FindContactInboxQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ inboxId, sourceId }: FindContactInboxQuery): Promise<ContactInboxRef> {
    // One prepared round trip: this runs on every Client API request.
    const row = await CONTACT_BY_SOURCE.first(this.dataSource, [inboxId, sourceId]);
    if (!row) throw new ContactSourceNotFoundError(sourceId);
    const { link, ...contact } = row;
    return {
      id: link.id,
      contactId: contact.id,
      inboxId,
      sourceId: link.source_id,
      pubsubToken: link.pubsub_token,
      hmacVerified: link.hmac_verified,
      unverifiedMatch: link.unverified_match,
      contact: contactPushData(contact),
    };
  }
}
