import { IQueryHandler, QueryBus, QueryHandler } from '@nestjs/cqrs';
import { AttributeTypesQuery } from '../../custom-attributes/index.js';
import { ContactReadModel } from '../contact.read-model.js';
import { ContactListResponse, toContactResponse } from '../dto/contact.responses.js';
import { CONTACTS_PAGE_SIZE, ListContactsQuery } from './list-contacts.query.js';

@QueryHandler(ListContactsQuery)
export class ListContactsHandler implements IQueryHandler<ListContactsQuery> {
  constructor(
    private readonly readModel: ContactReadModel,
    private readonly queries: QueryBus,
  ) {}

  async execute({ accountId, options }: ListContactsQuery): Promise<ContactListResponse> {
    // A filter compares defined custom attributes by their type.
    const types = options.filter
      ? await this.queries.execute(new AttributeTypesQuery(accountId, 'contact_attribute'))
      : {};
    const { count, rows } = await this.readModel.list(
      accountId,
      options,
      CONTACTS_PAGE_SIZE,
      types,
    );
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
