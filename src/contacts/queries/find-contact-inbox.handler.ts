import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { ContactSourceNotFoundError } from '../contacts.errors.js';
import { contactPushData, ContactInboxRef } from '../dto/contact.responses.js';
import { ContactInbox } from '../entities/contact-inbox.entity.js';
import { Contact } from '../entities/contact.entity.js';
import { FindContactInboxQuery } from './find-contact-inbox.query.js';

@QueryHandler(FindContactInboxQuery)
export class FindContactInboxHandler implements IQueryHandler<FindContactInboxQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ inboxId, sourceId }: FindContactInboxQuery): Promise<ContactInboxRef> {
    const link = await this.dataSource
      .getRepository(ContactInbox)
      .findOneBy({ inbox_id: inboxId, source_id: sourceId });
    if (!link) throw new ContactSourceNotFoundError(sourceId);
    const contact = await this.dataSource
      .getRepository(Contact)
      .findOneByOrFail({ id: link.contact_id });
    return {
      id: link.id,
      contactId: contact.id,
      inboxId,
      sourceId: link.source_id,
      pubsubToken: link.pubsub_token,
      hmacVerified: link.hmac_verified,
      contact: contactPushData(contact),
    };
  }
}
