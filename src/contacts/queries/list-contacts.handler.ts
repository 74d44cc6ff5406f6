import { IQueryHandler, QueryHandler } from '@nestjs/cqrs';
import { buildFilterSql, escapeLike } from '../../common/index.js';
import type { FilterColumn } from '../../common/index.js';
import { ContactListResponse, toContactResponse } from '../dto/contact.responses.js';
import { ContactReadModel } from '../contact.read-model.js';
import { CONTACTS_PAGE_SIZE, ListContactsQuery } from './list-contacts.query.js';

const FILTER_COLUMNS: Record<string, FilterColumn> = {
  name: { sql: 'c.name', type: 'text' },
  email: { sql: 'c.email', type: 'text' },
  phone_number: { sql: 'c.phone_number', type: 'text' },
  identifier: { sql: 'c.identifier', type: 'text' },
  blocked: { sql: 'c.blocked', type: 'boolean' },
  created_at: { sql: 'c.created_at', type: 'date' },
  last_activity_at: { sql: 'c.last_activity_at', type: 'date' },
  country_code: { sql: "(c.additional_attributes ->> 'country_code')", type: 'text' },
  city: { sql: "(c.additional_attributes ->> 'city')", type: 'text' },
  company: { sql: "(c.additional_attributes ->> 'company_name')", type: 'text' },
};

const SORT_COLUMNS: Record<string, string> = {
  name: 'c.name',
  email: 'c.email',
  phone_number: 'c.phone_number',
  last_activity_at: 'c.last_activity_at',
  created_at: 'c.created_at',
};

@QueryHandler(ListContactsQuery)
export class ListContactsHandler implements IQueryHandler<ListContactsQuery> {
  constructor(private readonly readModel: ContactReadModel) {}

  async execute({ accountId, options }: ListContactsQuery): Promise<ContactListResponse> {
    const params: unknown[] = [accountId];
    const where = ['c.account_id = $1'];
    if (options.q) {
      params.push(`%${escapeLike(options.q)}%`);
      const p = `$${params.length}`;
      where.push(
        `(c.name ILIKE ${p} OR c.email ILIKE ${p} OR c.phone_number ILIKE ${p} OR c.identifier ILIKE ${p})`,
      );
    }
    if (options.filter)
      where.push(buildFilterSql(options.filter, FILTER_COLUMNS, 'c.custom_attributes', params));

    const sort = options.sort ?? '-last_activity_at';
    const direction = sort.startsWith('-') ? 'DESC' : 'ASC';
    const column = SORT_COLUMNS[sort.replace(/^-/, '')] ?? 'c.last_activity_at';
    const offset = (options.page - 1) * CONTACTS_PAGE_SIZE;

    const { count, rows } = await this.readModel.page({
      where,
      params,
      orderBy: column,
      direction,
      limit: CONTACTS_PAGE_SIZE,
      offset,
    });
    return {
      meta: { count, current_page: options.page },
      payload: rows.map((row) => toContactResponse(row)),
    };
  }
}
