import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { ContactReadModel } from '../contact.read-model.js';
import { ContactListResponse, toContactResponse } from '../dto/contact.responses.js';
import { CONTACTS_PAGE_SIZE, ListContactsQuery } from './list-contacts.query.js';

@QueryHandler(ListContactsQuery)
export class ListContactsHandler implements IQueryHandler<ListContactsQuery> {
  constructor(private readonly readModel: ContactReadModel) {}

  async execute({ accountId, options }: ListContactsQuery): Promise<ContactListResponse> {
    const { count, rows } = await this.readModel.list(accountId, options, CONTACTS_PAGE_SIZE);
    return {
      meta: {
        count,
        current_page: options.page,
        has_more: options.page * CONTACTS_PAGE_SIZE < count,
      },
      payload: rows.map((row) => toContactResponse(row)),
    };
  }
}
