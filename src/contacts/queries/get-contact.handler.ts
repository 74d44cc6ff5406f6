import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { DataSource, In } from 'typeorm';
import { ContactNotFoundError } from '../contacts.errors.js';
import { contactPushData, ContactPushData, toContactResponse } from '../dto/contact.responses.js';
import { ContactInbox } from '../entities/contact-inbox.entity.js';
import { Contact } from '../entities/contact.entity.js';
import { GetContactQuery, GetContactsQuery } from './get-contact.query.js';

@QueryHandler(GetContactQuery)
export class GetContactHandler implements IQueryHandler<GetContactQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ accountId, contactId }: GetContactQuery) {
    const contact = await this.dataSource
      .getRepository(Contact)
      .findOneBy({ id: contactId, account_id: accountId });
    if (!contact) throw new ContactNotFoundError(contactId);
    const links = await this.dataSource
      .getRepository(ContactInbox)
      .find({ where: { contact_id: contactId }, order: { id: 'ASC' } });
    return {
      contact: toContactResponse(contact),
      sourceIds: links.map((link) => ({ inboxId: link.inbox_id, sourceId: link.source_id })),
      labels: contact.labels,
    };
  }
}

@QueryHandler(GetContactsQuery)
export class GetContactsHandler implements IQueryHandler<GetContactsQuery> {
  constructor(private readonly dataSource: DataSource) {}

  async execute({ accountId, contactIds }: GetContactsQuery): Promise<ContactPushData[]> {
    if (contactIds.length === 0) return [];
    const contacts = await this.dataSource
      .getRepository(Contact)
      .findBy({ account_id: accountId, id: In([...new Set(contactIds)]) });
    return contacts.map(contactPushData);
  }
}
